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
 * neighbour, never past it, so scores stay in [0, 1] and the best match keeps its place.
 *
 * Why: a conversation turn is often the evidence for a question that matches the turn next to
 * it ("Where did you go?" / "To the lake, last week"). The candidates are the recall's own pools,
 * so the result depends only on the caller's scope, and every backend computes the same lift.
 */
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
    for (const other of [ordered[index - 1], ordered[index + 1]]) {
      if (isNeighbour(candidate, other)) best = Math.max(best, other!.score);
    }
    if (best > candidate.score) lift.set(candidate.id, weight * (best - candidate.score));
  });
  return lift;
}
