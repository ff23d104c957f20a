import type { MemoryRecord } from "../../record/memory-record.js";
import type { ScoredMemory, SearchCandidate } from "../backend.js";
import { type MemoryRow, RECORD_COLUMNS, rowToRecord } from "./rows.js";
import type { SqlValue } from "./where.js";

/** A search's best rows, best first: each row's rid and score. */
export type RowHits = readonly { item: number; score: number }[];

type All = <T>(sql: string, params?: SqlValue[]) => T[];

// What ranking reads of a candidate: no content, metadata or tags to read and parse.
export const CANDIDATE_COLUMNS =
  "m.rid, m.id, m.namespace, m.importance, m.pinned, m.created_at, m.updated_at, " +
  "m.access_count, m.content_hash";

/** A row's columns that ranking reads (`CANDIDATE_COLUMNS`). */
export type CandidateRow = Pick<
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
export function hitsWithRecords(
  all: All,
  hits: RowHits,
  toRecord: (row: MemoryRow) => MemoryRecord = rowToRecord,
): ScoredMemory[] {
  const rows = rowsByRid<MemoryRow>(
    all,
    RECORD_COLUMNS,
    hits.map((hit) => hit.item),
  );
  const records = new Map(rows.map((row) => [row.rid, toRecord(row)]));
  return hits.flatMap(({ item, score }) => {
    const memory = records.get(item);
    return memory ? [{ memory, score }] : [];
  });
}

const MAX_HELD = 200_000;

/**
 * Candidates (ranking's fields only) for search hits, held in process between searches: a
 * hybrid recall's pools are some 200 rows, and reading them at random from a large file costs
 * more than both searches (the page reads, not the columns). The keyword cache's scan of every
 * row fills it whole (`scan`), so a store read by one process reads no candidate row at all.
 * What is held stays exact: it is dropped whenever another connection has committed anything
 * since it was read (SQLite's `PRAGMA data_version`), per row when this connection writes it,
 * and this connection's uses are added to it as they are written.
 */
export function candidateFields(
  all: All,
  dataVersion: () => number,
  usesHeld: (id: string) => number = () => 0,
) {
  const rows = new Map<number, CandidateRow>();
  const ridOf = new Map<string, number>();
  let version: number | undefined;

  // A row as read has a null prototype and slow properties: held as a plain object of its own.
  function hold(row: CandidateRow): void {
    rows.set(row.rid, {
      rid: row.rid,
      id: row.id,
      namespace: row.namespace,
      importance: row.importance,
      pinned: row.pinned,
      created_at: row.created_at,
      updated_at: row.updated_at,
      access_count: row.access_count,
      content_hash: row.content_hash,
    });
    ridOf.set(row.id, row.rid);
  }

  function forget(rid: number): void {
    const row = rows.get(rid);
    if (!row) return;
    rows.delete(rid);
    ridOf.delete(row.id);
  }

  return {
    /** The hits as candidates, in the hits' order; a memory deleted meanwhile is left out. */
    candidates(hits: RowHits): SearchCandidate[] {
      const now = dataVersion();
      if (now !== version || rows.size > MAX_HELD) {
        rows.clear();
        ridOf.clear();
        version = now;
      }
      const missing = hits.filter((hit) => !rows.has(hit.item)).map((hit) => hit.item);
      for (const row of rowsByRid<CandidateRow>(all, CANDIDATE_COLUMNS, missing)) hold(row);
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
            accessCount: row.access_count + usesHeld(row.id),
            contentHash: row.content_hash,
          },
        ];
      });
    },

    /** The row of a memory among the candidates held (`undefined` if not held). */
    ridOf: (id: string) => ridOf.get(id),

    /** This connection wrote these rows. */
    written(rids: readonly number[]): void {
      for (const rid of rids) forget(rid);
    },

    /**
     * This connection wrote these uses: added to the rows held when `committed` (the file then
     * holds exactly that much more), else those rows are dropped (a transaction of the
     * caller's, which may yet roll back).
     */
    used(uses: ReadonlyMap<string, { count: number }>, committed: boolean): void {
      for (const [id, { count }] of uses) {
        const rid = ridOf.get(id);
        if (rid === undefined) continue;
        if (committed) rows.get(rid)!.access_count += count;
        else forget(rid);
      }
    },

    /**
     * A scan of every row, at the data version read before it began: the rows it passes to
     * `row` are held (up to `MAX_HELD`), in place of what was.
     */
    scan(dataVersionBefore: number) {
      rows.clear();
      ridOf.clear();
      version = dataVersionBefore;
      return (row: CandidateRow): void => {
        if (rows.size < MAX_HELD) hold(row);
      };
    },

    clear(): void {
      rows.clear();
      ridOf.clear();
      version = undefined;
    },
  };
}
