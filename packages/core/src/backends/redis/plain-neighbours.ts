import type { MemoryRecord } from "../../record/memory-record.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { NeighbourIndex } from "../../retrieval/neighbour-index.js";
import type { ResolvedFilter, ScoredMemory } from "../backend.js";
import { scanVectors } from "./exact-scan.js";
import type { CachedNamespace } from "./scope-cache.js";

function sameVector(a: Float32Array | undefined, b: Float32Array): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Plain mode's nearest neighbours: a `NeighbourIndex` (one partition per namespace) kept in step
 * with the scope cache. A cache entry is replaced whenever its namespace changes; the index
 * takes only the difference, so its graphs survive a reload.
 */
export function plainNeighbours(directory?: string) {
  let index: NeighbourIndex<string> | undefined;
  // Per namespace, the cache entry the index reflects.
  const synced = new Map<string, CachedNamespace>();

  function sync(index: NeighbourIndex<string>, entry: CachedNamespace): void {
    const before = synced.get(entry.namespace);
    if (before === entry) return;
    if (!before) {
      const perKind = new Map<string, number>();
      for (const id of entry.vectors.keys()) {
        const kind = entry.records.get(id)?.kind ?? "";
        perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
      }
      for (const [kind, count] of perKind) index.reserve(entry.namespace, kind, count);
    }
    for (const [id, vector] of entry.vectors) {
      const kind = entry.records.get(id)?.kind;
      if (!sameVector(before?.vectors.get(id), vector) || before?.records.get(id)?.kind !== kind)
        index.set(entry.namespace, id, vector, kind);
    }
    if (before) {
      for (const id of before.vectors.keys()) if (!entry.vectors.has(id)) index.delete(id);
    } else {
      // The first read of a namespace: its graphs may have been saved by an earlier run.
      index.restore([entry.namespace]);
    }
    synced.set(entry.namespace, entry);
  }

  return {
    /** The `limit` nearest live memories of these entries that pass the filter, best first. */
    search(
      entries: readonly CachedNamespace[],
      query: Float32Array,
      limit: number,
      filter: ResolvedFilter,
      now: number,
    ): ScoredMemory[] {
      if (index?.dimensions !== query.length) {
        index = new NeighbourIndex(query.length, directory);
        synced.clear();
      }
      for (const entry of entries) sync(index, entry);
      const recordOf = (id: string): MemoryRecord | undefined => {
        for (const entry of entries) {
          const record = entry.records.get(id);
          if (record) return record;
        }
        return undefined;
      };
      const found = index.search(
        query,
        entries.map((entry) => entry.namespace),
        limit,
        (ids) =>
          new Set(
            ids.filter((id) => {
              const record = recordOf(id);
              return record !== undefined && matchesFilter(record, filter, now);
            }),
          ),
        filter.kinds,
      );
      if (!found) return scanVectors(entries, query, limit, filter, now);
      // Read the record last: touches since the entry was read are already in the map.
      return found.map(({ item, score }) => ({ memory: recordOf(item)!, score }));
    },

    /** Saves the graphs changed since they were loaded (when a directory was given). */
    persist(): void {
      index?.persist();
    },

    clear(): void {
      index = undefined;
      synced.clear();
    },
  };
}
