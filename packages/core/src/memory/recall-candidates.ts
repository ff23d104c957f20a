import type { Backend, SearchCandidate, Selection } from "../backends/backend.js";
import { toCandidate } from "../backends/search-candidate.js";
import type { MemoryRecord } from "../record/memory-record.js";
import { contentsNeeded } from "../retrieval/time-match.js";
import { dot } from "../retrieval/vector-math.js";

/** A hybrid recall's pool from one ranking: candidates where the backend gives them. */
export async function vectorPool(
  backend: Backend,
  selection: Selection,
  vector: Float32Array,
  limit: number,
): Promise<SearchCandidate[]> {
  if (backend.vectorCandidates) return backend.vectorCandidates(selection, vector, limit);
  return (await backend.searchVector(selection, vector, limit)).map(toCandidate);
}

/** The keyword ranking's pool, as `vectorPool`. */
export async function keywordPool(
  backend: Backend,
  selection: Selection,
  terms: readonly string[],
  limit: number,
): Promise<SearchCandidate[]> {
  if (backend.keywordCandidates) return backend.keywordCandidates(selection, terms, limit);
  return (await backend.searchKeyword(selection, terms, limit)).map(toCandidate);
}

/**
 * The keyword leg's candidates that the vector leg did not bring, with their exact similarity
 * to the query as their score: fused without it, such a memory would count as unrelated in
 * meaning. With these, a pool of 100 per leg ranks LoCoMo as 300 did without them.
 */
export async function completeVectorPool(
  backend: Backend,
  selection: Selection,
  vector: Float32Array,
  byVector: readonly SearchCandidate[],
  byKeyword: readonly SearchCandidate[],
): Promise<SearchCandidate[]> {
  const found = new Set(byVector.map((candidate) => candidate.id));
  const missing = byKeyword.filter((candidate) => !found.has(candidate.id));
  if (missing.length === 0) return [];
  const ids = missing.map((candidate) => candidate.id);
  const scores = backend.vectorScores
    ? await backend.vectorScores(selection, ids, vector)
    : (await backend.getVectors(ids, selection.now)).map((stored) =>
        stored === undefined || stored.length !== vector.length ? undefined : dot(stored, vector),
      );
  return missing.flatMap((candidate, at) => {
    const score = scores[at];
    return score === undefined ? [] : [{ ...candidate, score }];
  });
}

/**
 * Gives these candidates their records, in one read of those that lack one. A memory forgotten
 * or expired since the search keeps none.
 */
async function attachRecords(
  backend: Backend,
  candidates: readonly SearchCandidate[],
  now: number,
): Promise<void> {
  const missing = candidates.filter((candidate) => candidate.memory === undefined);
  if (missing.length === 0) return;
  const records = await backend.get(
    missing.map((candidate) => candidate.id),
    now,
  );
  missing.forEach((candidate, index) => {
    candidate.memory = records[index];
  });
}

/** Reads the contents time weighting needs for this query (only "when" questions need any). */
export async function attachContentsForTime(
  backend: Backend,
  query: string,
  candidates: readonly SearchCandidate[],
  now: number,
): Promise<void> {
  const lacking = candidates.filter((candidate) => candidate.memory === undefined);
  const needed = contentsNeeded(query, lacking);
  if (needed.length === 0) return;
  await attachRecords(
    backend,
    needed.map((index) => lacking[index]!),
    now,
  );
}

/**
 * The records of a page of ranked hits, read only where a candidate came without one; hits
 * whose memory is gone since the search are left out.
 */
export async function withRecords<T extends { candidate: SearchCandidate }>(
  backend: Backend,
  hits: readonly T[],
  now: number,
): Promise<(T & { memory: MemoryRecord })[]> {
  await attachRecords(
    backend,
    hits.map((hit) => hit.candidate),
    now,
  );
  return hits.flatMap((hit) =>
    hit.candidate.memory ? [{ ...hit, memory: hit.candidate.memory }] : [],
  );
}
