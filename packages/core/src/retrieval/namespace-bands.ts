import type { BandIndex } from "./band-index.js";

/** How many signatures a process keeps indexed across namespaces before dropping idle ones. */
export const DEFAULT_MAX_INDEXED = 1_000_000;

/**
 * The band indexes of the namespaces a process has probed, valid for one `label` (the store's
 * write counter when they were read). Namespaces least recently probed are dropped once more
 * than `maxEntries` signatures are held, never the one in use; a dropped one is read again
 * when next probed.
 */
export class NamespaceBands<K> {
  /** The store's write counter these indexes are current for; `undefined`: none are. */
  label: string | undefined;
  readonly #indexes = new Map<string, BandIndex<K>>();
  readonly #namespaceOf = new Map<K, string>();

  constructor(readonly maxEntries = DEFAULT_MAX_INDEXED) {}

  /** Drops every index. */
  clear(): void {
    this.label = undefined;
    this.#indexes.clear();
    this.#namespaceOf.clear();
  }

  /** The namespace's index, marked as recently used. */
  get(namespace: string): BandIndex<K> | undefined {
    const index = this.#indexes.get(namespace);
    if (index) {
      this.#indexes.delete(namespace);
      this.#indexes.set(namespace, index);
    }
    return index;
  }

  /** Keeps a freshly read index, dropping idle namespaces if over the bound. */
  keep(namespace: string, index: BandIndex<K>): void {
    this.#drop(namespace);
    this.#indexes.set(namespace, index);
    for (const key of index.keys()) this.#namespaceOf.set(key, namespace);
    let held = 0;
    for (const each of this.#indexes.values()) held += each.size;
    for (const [idle, each] of this.#indexes) {
      if (held <= this.maxEntries) break;
      if (idle === namespace) continue;
      held -= each.size;
      this.#drop(idle);
    }
  }

  /**
   * Records a memory this process wrote: into its namespace's index if that one is held (one
   * not held is read from the store when probed), out of any other.
   */
  put(key: K, namespace: string, signature: Uint32Array): void {
    this.delete(key);
    const index = this.#indexes.get(namespace);
    if (!index) return;
    index.set(key, signature);
    this.#namespaceOf.set(key, namespace);
  }

  /** Forgets a memory that was deleted (or found gone). */
  delete(key: K): void {
    const namespace = this.#namespaceOf.get(key);
    if (namespace === undefined) return;
    this.#indexes.get(namespace)?.delete(key);
    this.#namespaceOf.delete(key);
  }

  #drop(namespace: string): void {
    const index = this.#indexes.get(namespace);
    if (!index) return;
    for (const key of index.keys()) this.#namespaceOf.delete(key);
    this.#indexes.delete(namespace);
  }
}
