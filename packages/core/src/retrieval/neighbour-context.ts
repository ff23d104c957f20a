/** One recall candidate as neighbour context sees it. */
export interface ContextCandidate {
  /** Time-ordered (UUIDv7): among memories of one `createdAt`, sorting ids sorts by writing. */
  id: string;
  /** The encoded namespace: neighbours share one. */
  namespace: string;
  createdAt: number;
  /** Relevance in [0, 1]. */
  score: number;
}

/**
 * How much each candidate's relevance rises from its neighbours: the candidates written just
 * before and after it in its namespace (adjacent in `createdAt` order among the candidates, then
 * in writing order, and at most `windowMs` apart). A memory is lifted `weight` of the way towards its more relevant
 * neighbour, never past it, so scores stay in [0, 1] and the best match keeps its place. The
 * memories two places away count too, at half their lead (`SECOND_NEIGHBOUR_SHARE`).
 *
 * Why: a conversation turn is often the evidence for a question that matches the turn next to
 * it ("Where did you go?" / "To the lake, last week"). The candidates are the recall's own pools,
 * so the result depends only on the caller's scope, and every backend computes the same lift.
 */
/**
 * How much of its lead a memory two places away passes on. On LoCoMo conversations 1-3 (with
 * time-aware recall), hybrid hit@10 went from 0.842 to 0.849 at 0.5 (0.844 at 0.75); on the
 * held-out 4-5 from 0.788 to 0.796.
 */
export const SECOND_NEIGHBOUR_SHARE = 0.5;

export function neighbourLift(
  candidates: readonly ContextCandidate[],
  weight: number,
  windowMs: number,
): Map<string, number> {
  const lift = new Map<string, number>();
  if (weight <= 0) return lift;
  const ordered = [...candidates].sort(
    (a, b) =>
      (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) ||
      a.createdAt - b.createdAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const isNeighbour = (a: ContextCandidate, b: ContextCandidate | undefined) =>
    b !== undefined &&
    a.namespace === b.namespace &&
    Math.abs(a.createdAt - b.createdAt) <= windowMs;
  ordered.forEach((candidate, index) => {
    let best = candidate.score;
    for (const step of [-1, 1]) {
      const next = ordered[index + step];
      if (!isNeighbour(candidate, next)) continue;
      best = Math.max(best, next!.score);
      const after = ordered[index + 2 * step];
      if (isNeighbour(next!, after)) {
        best = Math.max(
          best,
          candidate.score + SECOND_NEIGHBOUR_SHARE * (after!.score - candidate.score),
        );
      }
    }
    if (best > candidate.score) lift.set(candidate.id, weight * (best - candidate.score));
  });
  return lift;
}
