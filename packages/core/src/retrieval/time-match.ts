import { asksWhen, mentionsTime, queryPeriods } from "./time-expressions.js";

/** One recall candidate as time-aware ranking sees it. */
export interface TimeCandidate {
  /** Needed only when `contentsNeeded` names the candidate (a memory deleted since: absent). */
  content: string | undefined;
  /** The content's hash: what the content says is read once per hash, not once per recall. */
  contentHash: string;
  /** When it happened (the memory's `createdAt`), epoch milliseconds. */
  createdAt: number;
}

/**
 * How well each candidate fits the time a query asks about, in [0, 1] (one per candidate, in
 * order), or `undefined` when the query asks about no time or no candidate fits at all.
 *
 * Two signals, averaged when both apply: a question that asks "when" fits memories whose content
 * places something in time ("yesterday", "last week", "in May 2023"), since those hold the answer;
 * a query that names a period ("in May 2023", "last week") fits memories created within it, or up
 * to `slackMs` after it (people tell of things a little later).
 */
export function timeMatch(
  query: string,
  candidates: readonly TimeCandidate[],
  now: number,
  slackMs: number,
): number[] | undefined {
  const when = asksWhen(query);
  const periods = queryPeriods(query, now);
  if (!when && periods.length === 0) return undefined;
  const fits = candidates.map(({ content, contentHash, createdAt }) => {
    let sum = 0;
    if (when && mentionsTimeOnce(content, contentHash)) sum += 1;
    if (periods.some((p) => createdAt >= p.start && createdAt < p.end + slackMs)) sum += 1;
    return sum / ((when ? 1 : 0) + (periods.length > 0 ? 1 : 0));
  });
  return fits.some((fit) => fit > 0) ? fits : undefined;
}

/**
 * Which candidates' contents `timeMatch` would need for this query and does not know yet (by
 * index): none unless the query asks "when", and none whose content hash it has seen. Lets a
 * caller holding candidates without their contents read only those.
 */
export function contentsNeeded(
  query: string,
  candidates: readonly { contentHash: string }[],
): number[] {
  if (!asksWhen(query)) return [];
  const needed: number[] = [];
  candidates.forEach(({ contentHash }, index) => {
    if (!mentionsCache.has(contentHash)) needed.push(index);
  });
  return needed;
}

// Content hash -> whether the content mentions a time. Bounded: the oldest entry goes when
// full (a cold entry costs only one regular expression test), so an entry `contentsNeeded`
// found stays until the recall that asked has used it.
const MENTIONS_CACHE_SIZE = 100_000;
const mentionsCache = new Map<string, boolean>();

function mentionsTimeOnce(content: string | undefined, contentHash: string): boolean {
  let found = mentionsCache.get(contentHash);
  if (found === undefined) {
    if (content === undefined) return false;
    if (mentionsCache.size >= MENTIONS_CACHE_SIZE)
      mentionsCache.delete(mentionsCache.keys().next().value!);
    found = mentionsTime(content);
    mentionsCache.set(contentHash, found);
  }
  return found;
}
