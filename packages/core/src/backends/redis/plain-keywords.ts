import { bm25, bm25DocumentCache } from "../../retrieval/bm25.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { KeywordIndex } from "../../retrieval/keyword-index.js";
import type { ResolvedFilter, ScoredMemory } from "../backend.js";
import { isEmptyFilter } from "./exact-scan.js";
import type { CachedNamespace } from "./scope-cache.js";

/**
 * Plain mode's keyword search: BM25 over a `KeywordIndex` (one per namespace) kept in step with
 * the scope cache, so a search reads the postings of its terms, not every memory in scope. The
 * statistics are still the scope's: documents that pass the filter, out of every live memory in
 * scope that does.
 */
export function plainKeywords() {
  const index = new KeywordIndex<string>();
  // Terms are kept by content hash, so a namespace reload re-reads no text it has seen.
  const prepare = bm25DocumentCache();
  const synced = new Map<string, CachedNamespace>();
  // Per entry: the earliest expiry in it, so an unfiltered search can count live memories
  // without visiting each one while nothing in scope has expired.
  const earliestExpiry = new WeakMap<CachedNamespace, number>();

  function sync(entry: CachedNamespace): void {
    const before = synced.get(entry.namespace);
    if (before === entry) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [id, record] of entry.records) {
      const expires = record.expiresAt?.getTime();
      if (expires !== undefined && expires < earliest) earliest = expires;
      if (before?.records.get(id)?.contentHash === record.contentHash) continue;
      index.set(entry.namespace, id, prepare(id, record.contentHash, record.content));
    }
    if (before)
      for (const id of before.records.keys()) if (!entry.records.has(id)) index.delete(id);
    synced.set(entry.namespace, entry);
    earliestExpiry.set(entry, earliest);
  }

  function scopeSize(entries: readonly CachedNamespace[], filter: ResolvedFilter, now: number) {
    const unfiltered = isEmptyFilter(filter);
    let size = 0;
    for (const entry of entries) {
      if (unfiltered && earliestExpiry.get(entry)! > now) {
        size += entry.records.size;
        continue;
      }
      for (const record of entry.records.values())
        if (matchesFilter(record, filter, now)) size += 1;
    }
    return size;
  }

  return {
    /** The `limit` best BM25 matches among the live memories of these entries that pass the filter. */
    search(
      entries: readonly CachedNamespace[],
      terms: readonly string[],
      limit: number,
      filter: ResolvedFilter,
      now: number,
    ): ScoredMemory[] {
      for (const entry of entries) sync(entry);
      const records = (id: string) => {
        for (const entry of entries) {
          const record = entry.records.get(id);
          if (record) return record;
        }
        return undefined;
      };
      const documents = index
        .matching(
          entries.map((entry) => entry.namespace),
          terms,
        )
        .flatMap((document) => {
          const record = records(document.item);
          return record && matchesFilter(record, filter, now) ? [document] : [];
        });
      if (documents.length === 0) return [];
      return bm25(documents, terms, limit, scopeSize(entries, filter, now)).map(
        ({ item, score }) => ({ memory: records(item)!, score }),
      );
    },

    clear(): void {
      index.clear();
      synced.clear();
    },
  };
}
