import type { StatementSync } from "node:sqlite";
import { VectorIndex } from "../../retrieval/vector-index.js";
import { bytesToVector, TopK } from "../../retrieval/vector-math.js";
import type { ChangedRow } from "./near-duplicates.js";
import type { SqlValue } from "./where.js";

/** What the vector cache needs from the backend. */
export interface VectorCacheAccess {
  all<T>(sql: string, params?: SqlValue[]): T[];
  statement(sql: string): StatementSync;
}

/**
 * rid -> unit vector for exact search in process, valid while meta's vectors_version holds the
 * value last seen. Only writes that change memories bump it, so recall's access counts keep
 * every process's cache warm, and a process patches its cache with its own writes.
 */
export function sqliteVectorCache(access: VectorCacheAccess) {
  const { all, statement } = access;
  let vectors: VectorIndex<number> | undefined;
  let version: string | undefined;

  function refresh(): void {
    const row = statement("SELECT value FROM meta WHERE key = 'vectors_version'").get() as
      | { value: string }
      | undefined;
    if (row?.value !== version) {
      vectors?.clear();
      version = row?.value;
    }
  }

  return {
    /** The `limit` nearest rids among those a WHERE clause (over alias `m`) selects. */
    search(
      where: { sql: string; params: SqlValue[] },
      query: Float32Array,
      limit: number,
    ): { item: number; score: number }[] {
      refresh();
      if (vectors?.dimensions !== query.length) vectors = new VectorIndex(query.length);
      const index = vectors;
      // One JSON row is far cheaper than thousands of row objects.
      const { rids: json } = statement(
        `SELECT json_group_array(m.rid) AS rids FROM memories m WHERE ${where.sql}`,
      ).get(...where.params) as { rids: string };
      const rids = JSON.parse(json) as number[];
      const missing = rids.filter((rid) => !index.has(rid));
      for (let start = 0; start < missing.length; start += 5000) {
        const chunk = missing.slice(start, start + 5000);
        for (const row of all<{ rid: number; embedding: Uint8Array }>(
          "SELECT rid, embedding FROM memory_vectors WHERE rid IN (SELECT value FROM json_each(?))",
          [JSON.stringify(chunk)],
        )) {
          index.set(row.rid, bytesToVector(row.embedding));
        }
      }
      const top = new TopK<number>(limit);
      index.scan(query, rids, top);
      return top.sorted();
    },

    /** Bumps vectors_version inside a write transaction and returns the new value. */
    bump(): string {
      return (
        statement(
          `INSERT INTO meta (key, value) VALUES ('vectors_version', '1')
           ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
           RETURNING value`,
        ).get() as { value: string }
      ).value;
    },

    /**
     * After our own committed write moved vectors_version to `next`: if nobody else wrote in
     * between (it moved by exactly one), patch the cache; otherwise it may be stale, so drop it.
     */
    afterOwnWrite(next: string, changed: readonly ChangedRow[]): void {
      if (version === undefined || Number(next) !== Number(version) + 1) {
        vectors?.clear();
      } else {
        for (const { rid, vector } of changed) {
          if (vector) vectors?.set(rid, vector);
          else vectors?.delete(rid);
        }
      }
      version = next;
    },

    clear(): void {
      vectors = undefined;
      version = undefined;
    },
  };
}
