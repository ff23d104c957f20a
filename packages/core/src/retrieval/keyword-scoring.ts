import { BM25_B, BM25_K1 } from "./bm25.js";
import type { Partition, PartitionCheck, Posting } from "./keyword-partition.js";

/** One query term in one partition: its stem's index in the query, posting and BM25 weight. */
export interface ScoredTerm {
  i: number;
  stem: string;
  posting: Posting;
  weight: number;
}

// Galloping to each remaining candidate in a term's posting beats walking the whole posting
// when the posting is this many times longer than the candidates left.
const LOOKUP_RATIO = 4;

/**
 * The ordinals of one partition that can be among the `limit` best BM25 scores (at least those,
 * ties at the k-th included), by MaxScore: terms are read in order of the most they can add;
 * once the terms still to read cannot lift a document that has none of the terms read so far
 * above the k-th best score found, they only add to documents already found, and only to those
 * that can still reach it. Scores here are a term-at-a-time sum; callers score the result again.
 */
export function partitionCandidates<K>(
  part: Partition<K>,
  terms: readonly ScoredTerm[],
  averageLength: number,
  limit: number,
  check: PartitionCheck,
  mask: Uint8Array | undefined,
): Int32Array {
  const order = terms
    .map((term) => ({
      ...term,
      bound:
        (term.weight * term.posting.maxTf * (BM25_K1 + 1)) /
        (term.posting.maxTf + BM25_K1 * (1 - BM25_B)),
    }))
    .sort((a, b) => b.bound - a.bound);
  // Zeroed buffers kept between searches: allocating them per search costs more than the
  // search itself at 100k documents.
  if (part.scores.length < part.keys.length) {
    part.scores = new Float64Array(part.alive.length);
    part.touched = new Int32Array(part.alive.length);
  } else if (part.scoring) part.scores.fill(0); // a caller's check threw mid-search
  part.scoring = true;
  const { scores, touched, alive, lengths, kinds } = part;
  // BM25's length normalisation, k1 * (1 - b + b * length / average), as two constants: these
  // sums only choose candidates (`finalScores` scores them exactly), so rounding may differ.
  const fixedNorm = BM25_K1 * (1 - BM25_B);
  const lengthNorm = (BM25_K1 * BM25_B) / averageLength;
  let count = 0;
  let rest = order.reduce((sum, term) => sum + term.bound, 0);
  let admit = true;
  let best = 0;
  // A lower bound on the final k-th best score, once one is known.
  let floor = 0;
  for (const { posting, weight: idf, bound } of order) {
    const weight = idf * (BM25_K1 + 1);
    // MaxScore: a document none of the earlier terms matched scores at most `rest`. The k-th
    // best score so far costs a pass over the documents found, so it is only worked out when
    // the best score so far says it might be above `rest`.
    if (admit && best > rest && count >= limit && posting.size > limit) {
      floor = kthLargest(scores, touched, count, limit);
      admit = floor <= rest;
    }
    if (!admit) {
      // Only documents that can still reach the floor stay candidates.
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const ord = touched[j]!;
        if (scores[ord]! + rest >= floor) touched[kept++] = ord;
        else scores[ord] = 0;
      }
      count = kept;
      if (count * LOOKUP_RATIO < posting.size) {
        // Few candidates left: find them in the posting rather than walk all of it.
        const left = touched.subarray(0, count).sort();
        const found = termFrequencies(posting, left);
        for (let j = 0; j < count; j++) {
          const tf = found[j]!;
          if (tf === 0) continue;
          const ord = left[j]!;
          scores[ord]! += (weight * tf) / (tf + fixedNorm + lengthNorm * lengths[ord]!);
        }
        rest -= bound;
        continue;
      }
    }
    const { ords, tfs } = posting;
    for (let j = 0; j < posting.size; j++) {
      const ord = ords[j]!;
      const before = scores[ord]!;
      if (before === 0) {
        if (!admit || alive[ord] === 0) continue;
        if (mask ? mask[kinds[ord]!] !== 1 : check.slow && !check.ok(ord)) continue;
        touched[count++] = ord;
      }
      const tf = tfs[j]!;
      const after = before + (weight * tf) / (tf + fixedNorm + lengthNorm * lengths[ord]!);
      scores[ord] = after;
      if (after > best) best = after;
    }
    rest -= bound;
  }
  // Only documents at or above the floor can be among the best `limit`: keep those (in the
  // front of `touched`) and clear the rest's scores for the next search.
  let kept = 0;
  for (let j = 0; j < count; j++) {
    const ord = touched[j]!;
    if (scores[ord]! >= floor) touched[kept++] = ord;
    else scores[ord] = 0;
  }
  let out: Int32Array;
  if (kept > limit) {
    // Above the k-th best score all count; at it, the earliest written (equal scores are
    // common: memories alike but for a number).
    floor = kthLargest(scores, touched, kept, limit);
    const above: number[] = [];
    const ties: number[] = [];
    for (let j = 0; j < kept; j++) {
      const ord = touched[j]!;
      if (scores[ord]! > floor) above.push(ord);
      else if (scores[ord] === floor) ties.push(ord);
      scores[ord] = 0;
    }
    const earliest = Int32Array.from(ties).sort();
    const room = Math.min(earliest.length, Math.max(0, limit - above.length));
    out = new Int32Array(above.length + room);
    out.set(above);
    out.set(earliest.subarray(0, room), above.length);
  } else {
    out = touched.slice(0, kept);
    for (let j = 0; j < kept; j++) scores[touched[j]!] = 0;
  }
  part.scoring = false;
  return out;
}

/**
 * The BM25 scores of these ordinals (ascending) for the query's stems, each added in the
 * stems' order as `bm25` adds them, so that scores equal its own to the last bit.
 */
export function finalScores<K>(
  part: Partition<K>,
  ords: Int32Array,
  stems: readonly string[],
  weights: readonly number[],
  averageLength: number,
): Float64Array {
  const norms = new Float64Array(ords.length);
  for (let j = 0; j < ords.length; j++)
    norms[j] = BM25_K1 * (1 - BM25_B + (BM25_B * part.lengths[ords[j]!]!) / averageLength);
  const scores = new Float64Array(ords.length);
  for (let i = 0; i < stems.length; i++) {
    const posting = part.postings.get(stems[i]!);
    if (!posting || !(weights[i]! > 0)) continue;
    const found = termFrequencies(posting, ords);
    for (let j = 0; j < ords.length; j++) {
      let tf = found[j]!;
      if (tf === 0) continue;
      // Postings cap a count at 65,535: past it, the document's own count.
      if (tf === 65_535) tf = part.documents[ords[j]!]!.counts.get(stems[i]!) ?? tf;
      scores[j]! += (weights[i]! * tf * (BM25_K1 + 1)) / (tf + norms[j]!);
    }
  }
  return scores;
}

/**
 * Each ordinal's term frequency in the posting (0 when absent), for ascending ordinals: one
 * galloping pass over the posting's ordinals, which are ascending too (written in order).
 */
function termFrequencies(posting: Posting, ords: Int32Array): Uint16Array {
  const out = new Uint16Array(ords.length);
  const { ords: at, tfs, size } = posting;
  let low = 0;
  for (let j = 0; j < ords.length && low < size; j++) {
    const target = ords[j]!;
    if (at[low]! < target) {
      // Gallop to a bound past the target, then search between.
      let step = 1;
      let high = low + 1;
      while (high < size && at[high]! < target) {
        low = high;
        step *= 2;
        high = low + step;
      }
      if (high > size) high = size;
      // Now at[low] < target and (high === size or at[high] >= target).
      while (high - low > 1) {
        const middle = (low + high) >> 1;
        if (at[middle]! < target) low = middle;
        else high = middle;
      }
      low = high;
    }
    if (low < size && at[low] === target) out[j] = tfs[low]!;
  }
  return out;
}

// Reused between searches: the k-th largest needs a copy of up to every score of a partition.
let scratch = new Float64Array(1024);

// The k-th largest score among the first `count` touched ordinals (k <= count).
function kthLargest(scores: Float64Array, touched: Int32Array, count: number, k: number): number {
  if (scratch.length < count) scratch = new Float64Array(Math.max(count, scratch.length * 2));
  const values = scratch;
  for (let j = 0; j < count; j++) values[j] = scores[touched[j]!]!;
  let low = 0;
  let high = count - 1;
  const target = k - 1;
  // Quickselect, descending.
  while (low < high) {
    const pivot = values[(low + high) >> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}
