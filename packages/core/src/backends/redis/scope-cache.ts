import type { MemoryRecord } from "../../record/memory-record.js";

/** A namespace's vectors packed row by row, for a scan without pointer chasing. */
export interface PackedVectors {
  ids: string[];
  /** One view per id into a single contiguous Float32Array. */
  rows: Float32Array[];
  /** expiresAt per row in epoch ms; Infinity when the memory never expires. */
  expires: Float64Array;
  dimensions: number;
}

/** One namespace's live records and vectors as read under one version token. */
export interface CachedNamespace {
  /** The namespace's version token when it was read (`""` when it had none). */
  version: string;
  records: Map<string, MemoryRecord>;
  vectors: Map<string, Float32Array>;
  /** Built on the first vector search; an entry is replaced, never edited, when data changes. */
  packed?: PackedVectors | undefined;
}

/**
 * Plain mode reads whole namespaces to scan them; this keeps them in process. Every write
 * gives each namespace it touches a new version token in Redis; a read fetches the tokens of
 * the namespaces in scope (one MGET) and reloads only those whose token moved, so no process
 * scans stale data and a write to one namespace leaves the others cached.
 */
export class ScopeCache {
  // Counts drops per namespace, so a read that a write overtook is not kept.
  readonly #dropped = new Map<string, number>();
  readonly #namespaces = new Map<string, CachedNamespace>();

  /** The cached entry, if it was read under this version token. */
  get(namespace: string, version: string): CachedNamespace | undefined {
    const entry = this.#namespaces.get(namespace);
    return entry?.version === version ? entry : undefined;
  }

  /** Take one before reading a namespace from Redis, and hand it to `set` with the result. */
  ticket(namespace: string): number {
    return this.#dropped.get(namespace) ?? 0;
  }

  /**
   * Keeps a filled entry, unless a write of ours dropped the namespace while it was being
   * read: the older read must not stay in the cache.
   */
  set(namespace: string, entry: CachedNamespace, ticket: number): void {
    if (ticket === this.ticket(namespace)) this.#namespaces.set(namespace, entry);
  }

  /** After a write of our own: what it touched is stale, whatever its token says. */
  afterWrite(namespaces: Iterable<string>): void {
    for (const namespace of namespaces) {
      this.#dropped.set(namespace, this.ticket(namespace) + 1);
      this.#namespaces.delete(namespace);
    }
  }

  /** Recalled records are used records: keep their counters current without a reload. */
  touch(ids: readonly string[], at: Date): void {
    const wanted = new Set(ids);
    for (const entry of this.#namespaces.values()) {
      for (const id of wanted) {
        const record = entry.records.get(id);
        if (record)
          entry.records.set(id, {
            ...record,
            lastAccessedAt: at,
            accessCount: record.accessCount + 1,
          });
      }
    }
  }

  clear(): void {
    for (const namespace of this.#namespaces.keys()) this.afterWrite([namespace]);
  }
}
