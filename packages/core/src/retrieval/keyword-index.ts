import type { Bm25Document } from "./bm25.js";
import { queryStems } from "./bm25.js";

/**
 * Inverted indexes over BM25 documents, one per namespace: stem -> keys. A keyword search reads
 * the postings of its query's stems in the namespaces in scope, instead of every document.
 */
export class KeywordIndex<K> {
  readonly #postings = new Map<string, Map<string, Set<K>>>();
  readonly #documents = new Map<K, { namespace: string; document: Bm25Document<K> }>();

  get size(): number {
    return this.#documents.size;
  }

  /** Adds or replaces a key's document, in its namespace's index. */
  set(namespace: string, key: K, document: Bm25Document<K>): void {
    this.delete(key);
    let postings = this.#postings.get(namespace);
    if (!postings) {
      postings = new Map();
      this.#postings.set(namespace, postings);
    }
    for (const stem of document.counts.keys()) {
      const keys = postings.get(stem);
      if (keys) keys.add(key);
      else postings.set(stem, new Set([key]));
    }
    this.#documents.set(key, { namespace, document });
  }

  delete(key: K): void {
    const held = this.#documents.get(key);
    if (!held) return;
    const postings = this.#postings.get(held.namespace)!;
    for (const stem of held.document.counts.keys()) {
      const keys = postings.get(stem);
      keys?.delete(key);
      if (keys?.size === 0) postings.delete(stem);
    }
    if (postings.size === 0) this.#postings.delete(held.namespace);
    this.#documents.delete(key);
  }

  clear(): void {
    this.#postings.clear();
    this.#documents.clear();
  }

  /** The documents in these namespaces that hold at least one of the query's terms. */
  matching(namespaces: readonly string[], terms: readonly string[]): Bm25Document<K>[] {
    const stems = queryStems(terms);
    const found = new Set<K>();
    for (const namespace of namespaces) {
      const postings = this.#postings.get(namespace);
      if (!postings) continue;
      for (const stem of stems) for (const key of postings.get(stem) ?? []) found.add(key);
    }
    return [...found].map((key) => this.#documents.get(key)!.document);
  }
}
