import type { ScoredMemory, SearchCandidate } from "../backend.js";
import { type MemoryRow, RECORD_COLUMNS, rowToRecord } from "./rows.js";
import type { SqlValue } from "./where.js";

/** A search's best rows, best first: each row's rid and score. */
export type RowHits = readonly { item: number; score: number }[];

type All = <T>(sql: string, params?: SqlValue[]) => T[];

// What ranking reads of a candidate: no content, metadata or tags to read and parse.
const CANDIDATE_COLUMNS =
  "m.rid, m.id, m.namespace, m.importance, m.pinned, m.created_at, m.updated_at, " +
  "m.access_count, m.content_hash";

type CandidateRow = Pick<
  MemoryRow,
  | "rid"
  | "id"
  | "namespace"
  | "importance"
  | "pinned"
  | "created_at"
  | "updated_at"
  | "access_count"
  | "content_hash"
>;

/** Rows by rid, in one statement. */
export function rowsByRid<T>(all: All, columns: string, rids: readonly number[]): T[] {
  if (rids.length === 0) return [];
  return all<T>(
    `SELECT ${columns} FROM memories m WHERE m.rid IN (SELECT value FROM json_each(?))`,
    [JSON.stringify(rids)],
  );
}

/** The hits' records, in the hits' order; a memory deleted meanwhile is left out. */
export function hitsWithRecords(all: All, hits: RowHits): ScoredMemory[] {
  const rows = rowsByRid<MemoryRow>(
    all,
    RECORD_COLUMNS,
    hits.map((hit) => hit.item),
  );
  const records = new Map(rows.map((row) => [row.rid, rowToRecord(row)]));
  return hits.flatMap(({ item, score }) => {
    const memory = records.get(item);
    return memory ? [{ memory, score }] : [];
  });
}

/** The hits as candidates (ranking's fields only), in the hits' order; deleted ones left out. */
export function hitsAsCandidates(all: All, hits: RowHits): SearchCandidate[] {
  const rows = new Map(
    rowsByRid<CandidateRow>(
      all,
      CANDIDATE_COLUMNS,
      hits.map((hit) => hit.item),
    ).map((row) => [row.rid, row]),
  );
  return hits.flatMap(({ item, score }): SearchCandidate[] => {
    const row = rows.get(item);
    if (!row) return [];
    return [
      {
        id: row.id,
        score,
        namespace: row.namespace,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        importance: row.importance,
        pinned: row.pinned === 1,
        accessCount: row.access_count,
        contentHash: row.content_hash,
      },
    ];
  });
}
