import type { StatementSync } from "node:sqlite";
import { NeighbourIndex } from "../../retrieval/neighbour-index.js";
import { bytesToVector } from "../../retrieval/vector-math.js";
import type { Selection } from "../backend.js";
import { isEmptyFilter } from "../redis/exact-scan.js";
import type { ChangedRow } from "./near-duplicates.js";
import { type SqlValue, whereClause } from "./where.js";

/** Rows per read of `storedVectors`: about 6 MB of 384-d vectors. */
const VECTOR_CHUNK = 4096;

/**
 * Every stored vector with its memory's namespace, kind and expiry, read a chunk of rows at a
 * time: each chunk's vectors arrive as one blob (SQLite's group_concat keeps a blob's bytes in
 * a UTF-8 file) and each vector is a view into it. Reading a row at a time made one buffer per
 * vector: at 100k memories, twice the time, and the garbage of 100k buffers. The chunks are
 * separate reads, so another process's write may land between two; it moved vectors_version,
 * so the next search reads the rows again (as after a write that lands just after one read).
 */
function* storedVectors(statement: (sql: string) => StatementSync) {
  const utf8 =
    (statement("PRAGMA encoding").get() as { encoding: string } | undefined)?.encoding === "UTF-8";
  if (!utf8) {
    for (const row of statement(
      "SELECT v.rid, m.namespace, m.kind, m.expires_at, v.embedding FROM memory_vectors v JOIN memories m ON m.rid = v.rid",
    ).iterate() as Iterable<VectorRow>)
      yield { ...row, expiresAt: row.expires_at, vector: toVector(row.embedding) };
    return;
  }
  const chunk = statement(
    `SELECT json_group_array(rid) AS rids, json_group_array(namespace) AS namespaces,
       json_group_array(kind) AS kinds, json_group_array(expires_at) AS expiry,
       json_group_array(length(embedding)) AS lengths,
       CAST(group_concat(embedding, x'') AS BLOB) AS embeddings
     FROM (SELECT v.rid, m.namespace, m.kind, m.expires_at, v.embedding
           FROM memory_vectors v JOIN memories m ON m.rid = v.rid
           WHERE v.rid > ? ORDER BY v.rid LIMIT ${VECTOR_CHUNK})`,
  );
  for (let after = -1; ; ) {
    const row = chunk.get(after) as Record<string, string> & { embeddings: Uint8Array | null };
    const rids = JSON.parse(row.rids!) as number[];
    if (rids.length === 0) return;
    const embeddings = row.embeddings ?? new Uint8Array(0);
    const namespaces = JSON.parse(row.namespaces!) as string[];
    const kinds = JSON.parse(row.kinds!) as string[];
    const expiry = JSON.parse(row.expiry!) as (number | null)[];
    const lengths = JSON.parse(row.lengths!) as number[];
    let offset = 0;
    for (let i = 0; i < rids.length; i++) {
      const bytes = embeddings.subarray(offset, offset + lengths[i]!);
      offset += lengths[i]!;
      yield {
        rid: rids[i]!,
        namespace: namespaces[i]!,
        kind: kinds[i]!,
        expiresAt: expiry[i]!,
        vector: toVector(bytes),
      };
    }
    after = rids[rids.length - 1]!;
  }
}

interface VectorRow {
  rid: number;
  namespace: string;
  kind: string;
  expires_at: number | null;
  embedding: Uint8Array;
}

/** A stored vector in place when its bytes are aligned (the index copies it), else a copy. */
function toVector(bytes: Uint8Array): Float32Array {
  return bytes.byteOffset % 4 === 0 && bytes.byteLength % 4 === 0
    ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
    : bytesToVector(bytes);
}

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
      for (const { rid, namespace, kind, expiresAt, vector } of storedVectors(statement)) {
        seen.add(rid);
        if (expiresAt !== null) expiring.set(rid, expiresAt);
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
