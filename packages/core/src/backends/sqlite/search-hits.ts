import type { MemoryRecord } from "../../record/memory-record.js";
import type { ScoredMemory, SearchCandidate } from "../backend.js";
import { HeldFields } from "./held-fields.js";
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
  const held = new HeldFields();
  let version: number | undefined;

  return {
    /** The hits as candidates, in the hits' order; a memory deleted meanwhile is left out. */
    candidates(hits: RowHits): SearchCandidate[] {
      const now = dataVersion();
      if (now !== version || held.slots > MAX_HELD) {
        held.clear();
        version = now;
      }
      const missing = hits.filter((hit) => !held.has(hit.item)).map((hit) => hit.item);
      for (const row of rowsByRid<CandidateRow>(all, CANDIDATE_COLUMNS, missing)) held.hold(row);
      const out: SearchCandidate[] = [];
      for (const { item, score } of hits) {
        const candidate = held.candidate(item, score);
        if (!candidate) continue;
        candidate.accessCount += usesHeld(candidate.id);
        out.push(candidate);
      }
      return out;
    },

    /** The row of a memory among the candidates held (`undefined` if not held). */
    ridOf: (id: string) => held.ridOf(id),

    /** This connection wrote these rows. */
    written(rids: readonly number[]): void {
      for (const rid of rids) held.forget(rid);
    },

    /**
     * This connection wrote these uses: added to the rows held when `committed` (the file then
     * holds exactly that much more), else those rows are dropped (a transaction of the
     * caller's, which may yet roll back).
     */
    used(uses: ReadonlyMap<string, { count: number }>, committed: boolean): void {
      for (const [id, { count }] of uses) {
        if (committed) held.addUses(id, count);
        else {
          const rid = held.ridOf(id);
          if (rid !== undefined) held.forget(rid);
        }
      }
    },

    /**
     * A scan of every row, at the data version read before it began: the rows it passes to
     * `row` are held (up to `MAX_HELD`), in place of what was.
     */
    scan(dataVersionBefore: number) {
      held.clear();
      version = dataVersionBefore;
      return (row: CandidateRow): void => {
        if (held.slots < MAX_HELD) held.hold(row);
      };
    },

    clear(): void {
      held.clear();
      version = undefined;
    },
  };
}
