import type { StatementSync } from "node:sqlite";
import { NeighbourIndex } from "../../retrieval/neighbour-index.js";
import { bytesToVector } from "../../retrieval/vector-math.js";
import type { Selection } from "../backend.js";
import { isEmptyFilter } from "../redis/exact-scan.js";
import type { ChangedRow } from "./near-duplicates.js";
import { type SqlValue, whereClause } from "./where.js";

/** What the vector cache needs from the backend. */
export interface VectorCacheAccess {
  all<T>(sql: string, params?: SqlValue[]): T[];
  statement(sql: string): StatementSync;
}

/**
 * Every vector of the file in process, in a `NeighbourIndex` partitioned by namespace, valid
 * while meta's vectors_version holds the value last seen. Only writes that change memories bump
 * it, so recall's access counts keep every process's cache warm, and a process patches its cache
 * with its own writes.
 */
export function sqliteVectorCache(access: VectorCacheAccess, directory?: string) {
  const { statement } = access;
  let vectors: NeighbourIndex<number> | undefined;
  let version: string | undefined;
  // Expiry instants of the rows that have one: with this, a selection of scope and kinds alone
  // needs no SQL to check candidates (partitions answer scope and kind).
  const expiring = new Map<number, number>();

  function refresh(dimensions: number): NeighbourIndex<number> {
    const row = statement("SELECT value FROM meta WHERE key = 'vectors_version'").get() as
      | { value: string }
      | undefined;
    if (row?.value !== version || vectors?.dimensions !== dimensions) {
      version = row?.value;
      // After another process's writes, the rows are read again but only changed vectors
      // leave their graphs; a fresh cache loads the graphs saved by an earlier run.
      if (vectors?.dimensions !== dimensions) vectors = new NeighbourIndex(dimensions, directory);
      // A first read sizes each partition once instead of doubling it (half the fresh memory).
      if (vectors.size === 0)
        for (const { namespace, kind, count } of statement(
          "SELECT m.namespace, m.kind, count(*) AS count FROM memory_vectors v JOIN memories m ON m.rid = v.rid GROUP BY m.namespace, m.kind",
        ).all() as { namespace: string; kind: string; count: number }[])
          vectors.reserve(namespace, kind, count);
      const seen = new Set<number>();
      expiring.clear();
      for (const { rid, namespace, kind, expires_at, embedding } of statement(
        "SELECT v.rid, m.namespace, m.kind, m.expires_at, v.embedding FROM memory_vectors v JOIN memories m ON m.rid = v.rid",
      ).iterate() as Iterable<{
        rid: number;
        namespace: string;
        kind: string;
        expires_at: number | null;
        embedding: Uint8Array;
      }>) {
        seen.add(rid);
        if (expires_at !== null) expiring.set(rid, expires_at);
        // node:sqlite hands each blob over in a buffer of its own, so it is normally aligned
        // and the index (which copies it) can read it in place.
        const vector =
          embedding.byteOffset % 4 === 0 && embedding.byteLength % 4 === 0
            ? new Float32Array(embedding.buffer, embedding.byteOffset, embedding.byteLength / 4)
            : bytesToVector(embedding);
        vectors.set(namespace, rid, vector, kind);
      }
      for (const rid of vectors.keys()) if (!seen.has(rid)) vectors.delete(rid);
      vectors.restore();
    }
    return vectors;
  }

  /** rids of the selection, as one JSON row: far cheaper than thousands of row objects. */
  function selected(sql: string, params: SqlValue[]): number[] {
    const { rids } = statement(
      `SELECT json_group_array(m.rid) AS rids FROM memories m WHERE ${sql}`,
    ).get(...params) as { rids: string };
    return JSON.parse(rids) as number[];
  }

  return {
    /** The `limit` nearest rids in the selection, best first. */
    search(
      selection: Selection,
      query: Float32Array,
      limit: number,
    ): { item: number; score: number }[] {
      const index = refresh(query.length);
      const where = whereClause(selection);
      const { kinds, ...rest } = selection.filter;
      const structural = isEmptyFilter(rest);
      // Partitions answer scope and kind; expiry is known here. Other filters are checked in
      // SQL, where the CROSS JOIN makes SQLite look each candidate up by rid: left to itself, it
      // may walk the whole namespace by its index instead (2 ms at 100k, most of a search).
      const found = index.search(
        query,
        index.namespacesIn(selection.scope),
        limit,
        (rids) => {
          if (structural)
            return new Set(
              rids.filter((rid) => !((expiring.get(rid) ?? Infinity) <= selection.now)),
            );
          const { rids: passed } = statement(
            `SELECT json_group_array(m.rid) AS rids FROM json_each(?) AS c
           CROSS JOIN memories m ON m.rid = c.value WHERE ${where.sql}`,
          ).get(JSON.stringify(rids), ...where.params) as { rids: string };
          return new Set(JSON.parse(passed) as number[]);
        },
        kinds,
      );
      return found ?? index.scan(query, selected(where.sql, where.params), limit);
    },

    /** The exact similarity of each row's vector to `query` (`undefined` for one without). */
    similarities(rids: readonly (number | undefined)[], query: Float32Array) {
      const index = refresh(query.length);
      return rids.map((rid) => (rid === undefined ? undefined : index.similarity(rid, query)));
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
     * between (it moved by exactly one), patch the cache; otherwise it may be stale, so the next
     * search reads the rows again.
     */
    afterOwnWrite(next: string, changed: readonly ChangedRow[]): void {
      if (version === undefined || Number(next) !== Number(version) + 1) {
        // Re-read on the next search; graphs of unchanged vectors are kept.
        version = undefined;
        return;
      }
      for (const { rid, vector, namespace, memory } of changed) {
        expiring.delete(rid);
        if (vector && namespace !== undefined) {
          vectors?.set(namespace, rid, vector, memory?.kind);
          const expires = memory?.expiresAt?.getTime();
          if (expires !== undefined) expiring.set(rid, expires);
        } else vectors?.delete(rid);
      }
      version = next;
    },

    /** Saves the graphs changed since they were loaded (when a directory was given). */
    persist(): void {
      vectors?.persist();
    },

    clear(): void {
      expiring.clear();
      vectors = undefined;
      version = undefined;
    },
  };
}
