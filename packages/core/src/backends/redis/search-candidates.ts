import { scopeIncludes } from "../../namespace/scope.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { dot } from "../../retrieval/vector-math.js";
import type { Backend, SearchCandidate, Selection } from "../backend.js";
import { toCandidate } from "../search-candidate.js";
import type { plainKeywords } from "./plain-keywords.js";
import type { plainNeighbours } from "./plain-neighbours.js";
import type { CachedNamespace } from "./scope-cache.js";
import type { KnnHit } from "./search-mode.js";

/**
 * Search mode's KNN hits as candidates for a hybrid recall, whose keyword leg holds the scope's
 * records in process anyway (the scope cache): the KNN and that cache are read at once, and only
 * hits the cache lacks (written since it was read) are read from Redis. Same hits, scores and
 * order as `searchVectorInIndex`, without reading some 300 records a recall.
 */
export async function knnCandidates(
  selection: Selection,
  limit: number,
  knn: () => Promise<KnnHit[]>,
  entries: () => Promise<readonly CachedNamespace[]>,
  records: (ids: readonly string[]) => Promise<(MemoryRecord | undefined)[]>,
): Promise<SearchCandidate[]> {
  const [hits, cached] = await Promise.all([knn(), entries()]);
  const found = hits.map(({ id }) => {
    for (const entry of cached) {
      const record = entry.records.get(id);
      if (record) return record;
    }
    return undefined;
  });
  const missing = hits.filter((_, at) => found[at] === undefined).map((hit) => hit.id);
  if (missing.length > 0) {
    const read = await records(missing);
    let next = 0;
    found.forEach((record, at) => {
      if (record === undefined) found[at] = read[next++];
    });
  }
  const out: SearchCandidate[] = [];
  for (const [at, { score }] of hits.entries()) {
    const memory = found[at];
    if (!memory) continue;
    const candidate = toCandidate({ memory, score });
    // The index already applied all this (as in `searchVectorInIndex`): checking again keeps
    // an expired or out-of-scope memory out even if a hash outlived its index entry.
    if (
      scopeIncludes(selection.scope, candidate.namespace) &&
      matchesFilter(memory, selection.filter, selection.now)
    )
      out.push(candidate);
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : -1)).slice(0, limit);
}

/** What the Redis backend lends its hybrid candidates. */
export interface CandidateAccess {
  /**
   * Search mode's KNN over the selection (routed to the index copies holding its tenants), or
   * `undefined` in plain mode and for filters the index cannot apply.
   */
  knn(selection: Selection, vector: Float32Array, limit: number): Promise<KnnHit[]> | undefined;
  entriesIn(scope: Selection["scope"]): Promise<CachedNamespace[]>;
  /** Synchronous work over the scope's entries, its barrier's round trip overlapped. */
  withEntries<T>(
    scope: Selection["scope"],
    work: (entries: readonly CachedNamespace[]) => T,
  ): Promise<T>;
  /** The entries last vouched for, without a round trip where possible. */
  heldEntries(scope: Selection["scope"]): Promise<CachedNamespace[]>;
  live: (ids: readonly string[], now: number) => Promise<(MemoryRecord | undefined)[]>;
  neighbours: ReturnType<typeof plainNeighbours>;
  keywords: ReturnType<typeof plainKeywords>;
}

/**
 * The Redis backend's `vectorCandidates` and `keywordCandidates` (before its error wrapping).
 * Plain mode holds every record of the scope in process; search mode reads the KNN's records
 * from the scope cache that the keyword leg fills anyway.
 */
export function redisCandidates(access: CandidateAccess) {
  const vectorCandidates: NonNullable<Backend["vectorCandidates"]> = async (
    selection,
    vector,
    limit,
  ) => {
    const knn = access.knn(selection, vector, limit);
    if (knn) {
      return knnCandidates(
        selection,
        limit,
        () => knn,
        () => access.entriesIn(selection.scope),
        (ids) => access.live(ids, selection.now),
      );
    }
    return access.withEntries(selection.scope, (entries) =>
      access.neighbours
        .search(entries, vector, limit, selection.filter, selection.now)
        .map(toCandidate),
    );
  };
  const keywordCandidates: NonNullable<Backend["keywordCandidates"]> = async (
    selection,
    terms,
    limit,
  ) => {
    return access.withEntries(selection.scope, (entries) =>
      access.keywords
        .search(entries, terms, limit, selection.filter, selection.now)
        .map(toCandidate),
    );
  };

  // The keyword leg read the scope's entries a moment ago: their vectors answer without a read
  // or a round trip.
  const vectorScores: NonNullable<Backend["vectorScores"]> = async (selection, ids, vector) => {
    const entries = await access.heldEntries(selection.scope);
    return ids.map((id) => {
      for (const entry of entries) {
        const stored = entry.vectors.get(id);
        if (stored) return stored.length === vector.length ? dot(stored, vector) : undefined;
      }
      return undefined;
    });
  };

  return { vectorCandidates, keywordCandidates, vectorScores };
}
