import type { MemoryRecord } from "../../record/memory-record.js";

/** One namespace's live records and vectors as last read, valid while `version` holds. */
export interface CachedNamespace {
  records: Map<string, MemoryRecord>;
  vectors: Map<string, Float32Array>;
}

/**
 * Plain mode reads whole namespaces to scan them; this keeps them in process. Every write
 * bumps a counter in Redis, and a read that sees a new value drops the cache, so no process
 * ever scans stale data. Writes from this process also update entries in place.
 */
export class ScopeCache {
  #version: string | undefined;
  readonly #namespaces = new Map<string, CachedNamespace>();

  /** Drops everything if Redis's counter moved since the cache was filled. */
  validate(version: string): void {
    if (version !== this.#version) {
      this.#namespaces.clear();
      this.#version = version;
    }
  }

  get(namespace: string): CachedNamespace | undefined {
    return this.#namespaces.get(namespace);
  }

  set(namespace: string, entry: CachedNamespace): void {
    this.#namespaces.set(namespace, entry);
  }

  /**
   * After a write of our own that moved the counter to `version`: if nobody else wrote since
   * the cache was filled (the counter moved by exactly one), only what we touched is stale.
   */
  afterWrite(namespaces: Iterable<string>, version: string): void {
    if (this.#version === undefined || Number(version) !== Number(this.#version) + 1) {
      this.#namespaces.clear();
    } else {
      for (const namespace of namespaces) this.#namespaces.delete(namespace);
    }
    this.#version = version;
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
    this.#namespaces.clear();
    this.#version = undefined;
  }
}
