import { bm25DocumentCache } from "../../retrieval/bm25.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { KeywordIndex } from "../../retrieval/keyword-index.js";
import type { ResolvedFilter, ScoredMemory } from "../backend.js";
import { isEmptyFilter } from "./exact-scan.js";
import type { CachedNamespace } from "./scope-cache.js";

/**
 * Plain mode's keyword search: BM25 over a `KeywordIndex` (one partition per namespace) kept in
 * step with the scope cache, so a search reads the postings of its terms, not every memory in
 * scope. The statistics are still the scope's: documents that pass the filter, out of every live
 * memory in scope that does.
 */
export function plainKeywords() {
  const index = new KeywordIndex<string>();
  // Terms are kept by content hash, so a namespace reload re-reads no text it has seen.
  const prepare = bm25DocumentCache();
  const synced = new Map<string, CachedNamespace>();

  function sync(entry: CachedNamespace): void {
    const before = synced.get(entry.namespace);
    if (before === entry) return;
    for (const [id, record] of entry.records) {
      const held = before?.records.get(id);
      const expires = record.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      if (
        held?.contentHash === record.contentHash &&
        held.kind === record.kind &&
        (held.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY) === expires &&
        index.has(id)
      )
        continue;
      index.set(
        entry.namespace,
        id,
        prepare(id, record.contentHash, record.content),
        record.kind,
        expires,
      );
    }
    if (before)
      for (const id of before.records.keys()) if (!entry.records.has(id)) index.delete(id);
    synced.set(entry.namespace, entry);
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
      // Kinds and expiry are answered by the index; anything else is checked per record.
      const { kinds, ...rest } = filter;
      const accept = isEmptyFilter(rest)
        ? undefined
        : (id: string) => {
            const record = records(id);
            return record !== undefined && matchesFilter(record, rest, now);
          };
      return index
        .search(
          entries.map((entry) => entry.namespace),
          terms,
          limit,
          { kinds, now, accept },
        )
        .map(({ item, score }) => ({ memory: records(item)!, score }));
    },

    clear(): void {
      index.clear();
      synced.clear();
    },
  };
}
