import { porterStem } from "./porter-stem.js";
import { indexTerms, keywordTerms } from "./tokenize.js";

/**
 * Okapi BM25 parameters (Robertson et al.): term saturation and length normalisation. B is
 * lower than the textbook 0.75: memories are short (a sentence or a chat turn), and a longer one
 * usually says more rather than repeating itself. Chosen on LoCoMo conversations 1-3 (hybrid
 * hit@10 0.745 at b = 0.75, 0.761 at b = 0.3) and checked on 4-5 (0.740 -> 0.743).
 */
export const BM25_K1 = 1.2;
export const BM25_B = 0.3;

/** A document prepared for BM25: its stemmed term counts and length. */
export interface Bm25Document<T> {
  item: T;
  counts: Map<string, number>;
  length: number;
}

/** Tokenises and stems a text once, for repeated scoring. */
export function toBm25Document<T>(item: T, text: string): Bm25Document<T> {
  const counts = new Map<string, number>();
  const terms = indexTerms(text);
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return { item, counts, length: terms.length };
}

/** A `toBm25Document` that remembers texts' terms; without the text, only what it knows. */
export interface Bm25DocumentCache {
  <T>(item: T, contentHash: string, text: string): Bm25Document<T>;
  <T>(item: T, contentHash: string): Bm25Document<T> | undefined;
}

/**
 * `toBm25Document` with memory: a text's terms are kept by its content hash (up to `size`
 * texts, then forgotten all at once), for stores that index a scope again on every search.
 */
export function bm25DocumentCache(size = 100_000): Bm25DocumentCache {
  const known = new Map<string, Pick<Bm25Document<unknown>, "counts" | "length">>();
  return (<T>(item: T, contentHash: string, text?: string): Bm25Document<T> | undefined => {
    let terms = known.get(contentHash);
    if (!terms) {
      if (text === undefined) return undefined;
      if (known.size >= size) known.clear();
      terms = toBm25Document(undefined, text);
      known.set(contentHash, terms);
    }
    return { item, counts: terms.counts, length: terms.length };
  }) as Bm25DocumentCache;
}

/** Whether a document holds at least one of the (stemmed) query terms. */
export function matchesAny<T>(document: Bm25Document<T>, stems: readonly string[]): boolean {
  return stems.some((stem) => document.counts.has(stem));
}

/** The query's stems, each once: what `bm25` scores and what `matchesAny` checks. */
export function queryStems(query: string | readonly string[]): string[] {
  const terms = typeof query === "string" ? keywordTerms(query) : query;
  return [...new Set(terms.map(porterStem))];
}

/**
 * Scores documents against query terms with BM25 (OR semantics: any term may match). The
 * statistics are those of the scope searched, so rarity is judged within it: `documents` must
 * hold every document of the scope that matches a term (others may be present and are skipped),
 * and `scopeSize` counts the whole scope (default: `documents.length`). Length normalisation is
 * relative to the matching documents, so a caller that only fetched matches (SQLite) ranks exactly
 * like one that holds the whole scope (plain Redis). Returns matches only, best first.
 */
export function bm25<T>(
  documents: readonly Bm25Document<T>[],
  query: string | readonly string[],
  limit: number,
  scopeSize: number = documents.length,
) {
  const stems = queryStems(query);
  if (stems.length === 0) return [];
  // One pass finds the matches, their total length and each stem's document frequency: a
  // common word can match every memory of a large scope.
  const matching: Bm25Document<T>[] = [];
  const frequencies = new Array<number>(stems.length).fill(0);
  let totalLength = 0;
  for (const doc of documents) {
    let matched = false;
    for (let i = 0; i < stems.length; i++) {
      if (doc.counts.has(stems[i]!)) {
        frequencies[i]! += 1;
        matched = true;
      }
    }
    if (matched) {
      matching.push(doc);
      totalLength += doc.length;
    }
  }
  if (matching.length === 0) return [];
  const n = Math.max(scopeSize, matching.length);
  const averageLength = totalLength / matching.length || 1;
  const weights = frequencies.map((df) => (df > 0 ? Math.log(1 + (n - df + 0.5) / (df + 0.5)) : 0));
  const scores = new Float64Array(matching.length);
  const scored: number[] = [];
  matching.forEach((doc, index) => {
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * doc.length) / averageLength);
    let score = 0;
    for (let i = 0; i < stems.length; i++) {
      const tf = weights[i]! > 0 ? doc.counts.get(stems[i]!) : undefined;
      if (tf) score += (weights[i]! * tf * (BM25_K1 + 1)) / (tf + norm);
    }
    scores[index] = score;
    if (score > 0) scored.push(index);
  });
  // Earlier documents first among equal scores.
  return scored
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, limit)
    .map((index) => ({ item: matching[index]!.item, score: scores[index]! }));
}
