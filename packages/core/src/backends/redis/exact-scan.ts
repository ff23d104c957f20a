import type { MemoryRecord } from "../../record/memory-record.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { TopK } from "../../retrieval/vector-math.js";
import type { ResolvedFilter, ScoredMemory } from "../backend.js";
import type { CachedNamespace, PackedVectors } from "./scope-cache.js";

/** One namespace's vectors in one contiguous Float32Array, built once per cache entry. */
export function packedVectors(entry: CachedNamespace, dimensions: number): PackedVectors {
  if (entry.packed?.dimensions === dimensions) return entry.packed;
  const ids: string[] = [];
  for (const [id, vector] of entry.vectors) if (vector.length === dimensions) ids.push(id);
  const matrix = new Float32Array(ids.length * dimensions);
  const expires = new Float64Array(ids.length);
  ids.forEach((id, row) => {
    matrix.set(entry.vectors.get(id)!, row * dimensions);
    expires[row] = entry.records.get(id)?.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  });
  const rows = ids.map((_, row) => matrix.subarray(row * dimensions, (row + 1) * dimensions));
  entry.packed = { ids, rows, expires, dimensions };
  return entry.packed;
}

// A small monomorphic kernel over row views: V8 compiles it tighter than the same loop
// written inline with offsets into the whole matrix (2.5 vs 3.6 ms for 10k 384-d rows).
function dotRow(row: Float32Array, query: Float32Array): number {
  const n = row.length;
  const end = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d < end; d += 4) {
    s0 += row[d]! * query[d]!;
    s1 += row[d + 1]! * query[d + 1]!;
    s2 += row[d + 2]! * query[d + 2]!;
    s3 += row[d + 3]! * query[d + 3]!;
  }
  for (; d < n; d++) s0 += row[d]! * query[d]!;
  return s0 + s1 + s2 + s3;
}

/** Whether a filter filters nothing (only expiry applies). */
export function isEmptyFilter(filter: ResolvedFilter): boolean {
  return Object.values(filter).every(
    (value) =>
      value === undefined || (typeof value === "object" && Object.keys(value).length === 0),
  );
}

/**
 * Exact nearest neighbours over cached namespaces: a dot product per row of each packed
 * matrix (vectors are unit length, so it is the cosine similarity), keeping the best `limit`.
 */
export function scanVectors(
  entries: readonly CachedNamespace[],
  query: Float32Array,
  limit: number,
  filter: ResolvedFilter,
  now: number,
): ScoredMemory[] {
  const dimensions = query.length;
  const onlyExpiry = isEmptyFilter(filter);
  const top = new TopK<{ entry: CachedNamespace; id: string }>(limit);
  let threshold = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const { ids, rows, expires } = packedVectors(entry, dimensions);
    for (let row = 0; row < ids.length; row++) {
      if (expires[row]! <= now) continue;
      if (!onlyExpiry && !matchesFilter(entry.records.get(ids[row]!)!, filter, now)) continue;
      const score = dotRow(rows[row]!, query);
      if (score > threshold) {
        top.push(score, { entry, id: ids[row]! });
        threshold = top.threshold;
      }
    }
  }
  return top.sorted().map(({ score, item }) => ({
    // Read the record last: touches since the matrix was packed are already in the map.
    memory: item.entry.records.get(item.id) as MemoryRecord,
    score,
  }));
}
