/** The rank constant of reciprocal rank fusion (Cormack et al. 2009). */
export const RRF_K = 60;

/**
 * Fuses ranked lists of ids by reciprocal rank fusion, scaled to [0, 1]: an id ranked first
 * in every list scores 1.
 */
export function reciprocalRankFusion(rankings: readonly (readonly string[])[]): Map<string, number> {
  const fused = new Map<string, number>();
  const best = rankings.length / (RRF_K + 1);
  for (const ranking of rankings) {
    ranking.forEach((id, rank) => {
      fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1) / best);
    });
  }
  return fused;
}

/** Maps a raw BM25 score (0..∞) into [0, 1), monotonically. */
export function saturateKeywordScore(bm25: number): number {
  return bm25 <= 0 ? 0 : bm25 / (bm25 + 5);
}

/** Cosine similarity floored at 0: opposite directions are as unrelated as orthogonal ones. */
export function semanticScore(cosine: number): number {
  return Math.min(1, Math.max(0, cosine));
}
