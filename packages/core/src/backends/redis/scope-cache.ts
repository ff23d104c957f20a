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
  /** The encoded namespace. */
  namespace: string;
  /** The namespace's version token when it was read (`""` when it had none). */
  version: string;
  records: Map<string, MemoryRecord>;
  vectors: Map<string, Float32Array>;
  /** Built on the first vector search; an entry is replaced, never edited, when data changes. */
  packed?: PackedVectors | undefined;
  /** The feed epoch in which the entry was last confirmed current (see `ScopeCache`). */
  confirmedIn?: number | undefined;
}

// Only for namespaces with a read in flight: how many invalidations arrived, and since which
// one they all carried the same version token (so a read that saw that token stays good).
interface Invalidations {
  count: number;
  sameSince: number;
  sameVersion: string | undefined;
  readers: number;
}

/**
 * Plain mode reads whole namespaces to scan them; this keeps them in process.
 *
 * Every write gives each namespace it touches a fresh version token (in its MULTI/EXEC) and
 * publishes one message per change on the namespace's channel, carrying that token. Two ways
 * keep an entry honest:
 *
 * - The change feed (the normal case). While the feed's connection is subscribed, every
 *   message invalidates the namespace's entry unless the entry was read under the token the
 *   message carries. An entry confirmed against Redis while the feed was up, in the same
 *   unbroken subscription (its epoch), is served without reading any token: any later write
 *   sent a message that reached us before the read's barrier (a PING on the feed's own
 *   connection, which Redis answers only after every message published before it).
 * - Version tokens (the safety net). When the feed is down, or was cut and has come back
 *   (a new epoch: messages in the gap are lost), entries are checked against their tokens (one
 *   MGET) and confirmed again; only namespaces whose token moved are reloaded.
 *
 * A process's own writes invalidate at once, without waiting for their message.
 */
export class ScopeCache {
  readonly #namespaces = new Map<string, CachedNamespace>();
  readonly #inFlight = new Map<string, Invalidations>();
  #epoch = 0;
  #live = false;
  #barrier: (() => Promise<unknown>) | undefined;

  /** The feed is subscribed (again): a new epoch, in which entries must be confirmed anew. */
  feedUp(barrier: () => Promise<unknown>): void {
    this.#barrier = barrier;
    this.#epoch += 1;
    this.#live = true;
  }

  /** The feed's connection dropped or closed: messages may be lost until it is back. */
  feedDown(): void {
    this.#epoch += 1;
    this.#live = false;
  }

  /** The current epoch if the feed is up; capture it before reading tokens. */
  watching(): number | undefined {
    return this.#live ? this.#epoch : undefined;
  }

  /**
   * Waits until every change committed before this call has reached the cache; returns the
   * epoch in which confirmed entries may be served as they are, or `undefined` (check tokens).
   */
  async vouched(): Promise<number | undefined> {
    const epoch = this.watching();
    if (epoch === undefined || !this.#barrier) return undefined;
    try {
      await this.#barrier();
    } catch {
      return undefined;
    }
    return this.watching() === epoch ? epoch : undefined;
  }

  /** Whether the namespace has an entry confirmed in the feed's current epoch. */
  confirmedNow(namespace: string): boolean {
    const epoch = this.watching();
    return epoch !== undefined && this.#namespaces.get(namespace)?.confirmedIn === epoch;
  }

  /** The entry, if the feed vouches for it in this epoch. */
  trusted(namespace: string, epoch: number): CachedNamespace | undefined {
    const entry = this.#namespaces.get(namespace);
    return entry?.confirmedIn === epoch ? entry : undefined;
  }

  /** The cached entry, if it was read under this version token. */
  get(namespace: string, version: string): CachedNamespace | undefined {
    const entry = this.#namespaces.get(namespace);
    return entry?.version === version ? entry : undefined;
  }

  /**
   * Marks an entry whose token was just found unchanged as current, if the feed has stayed up
   * since `epoch` (taken before the token was read) and no message has dropped it meanwhile.
   */
  confirm(namespace: string, entry: CachedNamespace, epoch: number | undefined): void {
    if (epoch === undefined || epoch !== this.watching()) return;
    if (this.#namespaces.get(namespace) === entry) entry.confirmedIn = epoch;
  }

  /**
   * Reads a namespace with `read` (tokens first, then data) and keeps the result, unless a
   * change with another token arrived while it was being read: that read may be older.
   */
  async fill(
    namespace: string,
    epoch: number | undefined,
    read: () => Promise<CachedNamespace>,
  ): Promise<CachedNamespace> {
    let state = this.#inFlight.get(namespace);
    if (!state) {
      state = { count: 0, sameSince: 0, sameVersion: undefined, readers: 0 };
      this.#inFlight.set(namespace, state);
    }
    state.readers += 1;
    const ticket = state.count;
    try {
      const entry = await read();
      const unchanged =
        state.count === ticket ||
        (state.sameSince <= ticket && state.sameVersion === entry.version);
      if (unchanged) {
        this.#namespaces.set(namespace, entry);
        this.confirm(namespace, entry, epoch);
      }
      return entry;
    } finally {
      state.readers -= 1;
      if (state.readers === 0) this.#inFlight.delete(namespace);
    }
  }

  /**
   * A change to the namespace committed under `version` (`undefined`: unknown, or erased).
   * Drops the entry unless it was read under that very token.
   */
  invalidate(namespace: string, version: string | undefined): void {
    const entry = this.#namespaces.get(namespace);
    if (entry && (version === undefined || entry.version !== version))
      this.#namespaces.delete(namespace);
    const state = this.#inFlight.get(namespace);
    if (!state) return;
    if (version === undefined || version !== state.sameVersion) {
      state.sameSince = state.count;
      state.sameVersion = version;
    }
    state.count += 1;
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

  /** Forgets everything, including what reads in flight would bring back. */
  clear(): void {
    for (const namespace of new Set([...this.#namespaces.keys(), ...this.#inFlight.keys()]))
      this.invalidate(namespace, undefined);
  }
}
