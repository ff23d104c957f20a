import type { MemoryRecord } from "../../record/memory-record.js";
import { BandIndex } from "../../retrieval/band-index.js";
import {
  bytesToSignature,
  hammingLimits,
  signatureOf,
  signatureToBytes,
} from "../../retrieval/lsh-signature.js";
import { NamespaceBands } from "../../retrieval/namespace-bands.js";
import { bytesToVector, dot } from "../../retrieval/vector-math.js";
import type { NearProbe } from "../backend.js";
import type { SqlValue } from "./where.js";

/** What the near-duplicate index needs from the SQLite backend. */
export interface NearDuplicateAccess {
  all<T>(sql: string, params?: SqlValue[]): T[];
  transaction<T>(work: () => T): T;
}

/** A memory row a write changed: its vector and namespace when put, neither when deleted. */
export interface ChangedRow {
  rid: number;
  vector: Float32Array | undefined;
  namespace?: string | undefined;
  /** The record written (puts only), for the keyword cache. */
  memory?: MemoryRecord | undefined;
}

export const SIGNATURE_UPSERT_SQL =
  "INSERT OR REPLACE INTO memory_signatures (rid, signature) VALUES (?, ?)";

/**
 * Near-duplicate candidates for the SQLite backend. Each memory's LSH signature is stored in
 * `memory_signatures` in the same transaction as the memory (a delete trigger removes it), and
 * each namespace's band index is kept in process: built from the stored signatures on first
 * use, patched by this process's writes, and rebuilt when another process has written (the
 * store's vectors_version moved by more than our own write). Signatures missing from a store
 * written before they existed are computed from the stored vectors on first use.
 */
export function sqliteNearDuplicates(access: NearDuplicateAccess) {
  // Labelled with the vectors_version they are current for.
  const bands = new NamespaceBands<number>();

  function currentVersion(): string {
    const [row] = access.all<{ value: string }>(
      "SELECT value FROM meta WHERE key = 'vectors_version'",
    );
    return row?.value ?? "0";
  }

  function build(namespace: string): BandIndex<number> {
    const index = new BandIndex<number>();
    const rows = access.all<{ rid: number; signature: Uint8Array | null }>(
      `SELECT m.rid, s.signature FROM memories m LEFT JOIN memory_signatures s ON s.rid = m.rid
       WHERE m.namespace = ?`,
      [namespace],
    );
    const missing: number[] = [];
    for (const row of rows) {
      const signature = row.signature ? bytesToSignature(row.signature) : undefined;
      if (signature) index.set(row.rid, signature);
      else missing.push(row.rid);
    }
    if (missing.length > 0) backfill(index, missing);
    bands.keep(namespace, index);
    return index;
  }

  // Memories stored before signatures existed: compute theirs once, and keep them.
  function backfill(index: BandIndex<number>, rids: number[]): void {
    access.transaction(() => {
      for (let start = 0; start < rids.length; start += 5000) {
        for (const row of access.all<{ rid: number; embedding: Uint8Array }>(
          "SELECT rid, embedding FROM memory_vectors WHERE rid IN (SELECT value FROM json_each(?))",
          [JSON.stringify(rids.slice(start, start + 5000))],
        )) {
          const signature = signatureOf(bytesToVector(row.embedding));
          access.all(SIGNATURE_UPSERT_SQL, [row.rid, signatureToBytes(signature)]);
          index.set(row.rid, signature);
        }
      }
    });
  }

  return {
    /** Drops every index (the backend closed). */
    clear(): void {
      bands.clear();
    },

    /** The signature column value of a put, written with its row. */
    signatureBytes(vector: Float32Array): Uint8Array {
      return signatureToBytes(signatureOf(vector));
    },

    /**
     * After this process committed a write that moved vectors_version to `version`: patch
     * the indexes if nobody else wrote in between (it moved by one), otherwise drop them.
     */
    afterWrite(version: string, changed: readonly ChangedRow[]): void {
      if (bands.label === undefined || Number(version) !== Number(bands.label) + 1) {
        bands.clear();
        return;
      }
      bands.label = version;
      for (const { rid, vector, namespace } of changed) {
        if (vector && namespace !== undefined) bands.put(rid, namespace, signatureOf(vector));
        else bands.delete(rid);
      }
    },

    /** For each probe, its most similar live memory at or above the threshold, if any. */
    find(probes: readonly NearProbe[], threshold: number, now: number) {
      const version = currentVersion();
      if (version !== bands.label) {
        bands.clear();
        bands.label = version;
      }
      const limit = hammingLimits(threshold);
      const candidates = probes.map((probe) => {
        const index = bands.get(probe.namespace) ?? build(probe.namespace);
        return index.candidates(signatureOf(probe.vector), limit);
      });
      const wanted = [...new Set(candidates.flat())];
      if (wanted.length === 0) return probes.map(() => undefined);
      // Vectors by rowid first (cheap); expiry and namespace only for the few close enough.
      const vectors = new Map<number, Float32Array>();
      for (const row of access.all<{ rid: number; embedding: Uint8Array }>(
        "SELECT rid, embedding FROM memory_vectors WHERE rid IN (SELECT value FROM json_each(?))",
        [JSON.stringify(wanted)],
      )) {
        vectors.set(row.rid, bytesToVector(row.embedding));
      }
      const close = probes.map((probe, at) =>
        candidates[at]!.flatMap((rid) => {
          const vector = vectors.get(rid);
          if (!vector || vector.length !== probe.vector.length) return [];
          const score = dot(probe.vector, vector);
          return score >= threshold ? [{ rid, score }] : [];
        }),
      );
      const closeRids = [...new Set(close.flat().map((entry) => entry.rid))];
      if (closeRids.length === 0) return probes.map(() => undefined);
      const live = new Map(
        access
          .all<{ rid: number; namespace: string }>(
            `SELECT rid, namespace FROM memories WHERE rid IN (SELECT value FROM json_each(?))
             AND (expires_at IS NULL OR expires_at > ?)`,
            [JSON.stringify(closeRids), now],
          )
          .map((row) => [row.rid, row.namespace]),
      );
      return probes.map((probe, at) => {
        let best: { rid: number; score: number } | undefined;
        for (const entry of close[at]!) {
          if (live.get(entry.rid) !== probe.namespace) continue;
          if (!best || entry.score > best.score) best = entry;
        }
        return best;
      });
    },
  };
}
