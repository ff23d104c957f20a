import { keywordTerms } from "./tokenize.js";

/** Okapi BM25 parameters (Robertson et al.): term saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;

/** A document prepared for BM25: its term counts and length. */
export interface Bm25Document<T> {
  item: T;
  counts: Map<string, number>;
  length: number;
}

/** Tokenises a text once, for repeated scoring. */
export function toBm25Document<T>(item: T, text: string): Bm25Document<T> {
  const counts = new Map<string, number>();
  const tokens = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return { item, counts, length: tokens.length };
}

/**
 * Scores documents against query terms with BM25, using statistics of exactly these documents
 * (so rarity is judged within the scope searched). Returns matches only, best first.
 */
export function bm25<T>(
  documents: readonly Bm25Document<T>[],
  query: string | readonly string[],
  limit: number,
) {
  const terms = typeof query === "string" ? keywordTerms(query) : query;
  const n = documents.length;
  if (n === 0 || terms.length === 0) return [];
  const averageLength = documents.reduce((sum, doc) => sum + doc.length, 0) / n || 1;
  const idf = new Map<string, number>();
  for (const term of terms) {
    let df = 0;
    for (const doc of documents) if (doc.counts.has(term)) df++;
    if (df > 0) idf.set(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  const scored: { item: T; score: number }[] = [];
  for (const doc of documents) {
    let score = 0;
    for (const [term, weight] of idf) {
      const tf = doc.counts.get(term);
      if (tf)
        score += (weight * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / averageLength));
    }
    if (score > 0) scored.push({ item: doc.item, score });
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, limit);
}
