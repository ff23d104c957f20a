// Deterministic synthetic text for benchmarks: varied enough that embeddings and BM25 both
// have something to tell apart, with no randomness between runs.
const SUBJECTS = [
  "Alice",
  "Bob",
  "the platform team",
  "our CFO",
  "the on-call engineer",
  "Priya",
  "the design lead",
  "Marcus",
];
const VERBS = [
  "prefers",
  "decided on",
  "is migrating to",
  "complained about",
  "recommended",
  "is evaluating",
  "rejected",
  "wrote docs for",
];
const OBJECTS = [
  "PostgreSQL for billing",
  "dark mode in every editor",
  "weekly releases",
  "the Redis cache",
  "TypeScript strict mode",
  "a new pricing page",
  "the Kubernetes cluster",
  "remote Fridays",
  "GraphQL for the mobile app",
  "the Q3 roadmap",
  "Terraform modules",
  "the customer survey",
  "SOC 2 audit evidence",
  "a vegetarian team lunch",
  "the incident review",
  "nightly database backups",
  "feature flags",
  "the onboarding checklist",
];
const WHEN = [
  "last Monday",
  "in the retro",
  "during standup",
  "after the outage",
  "on the sales call",
  "in March",
  "yesterday",
  "at the offsite",
];

/** A stable pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct sentences. */
export function sentences(count: number, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  return Array.from(
    { length: count },
    (_, i) => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(WHEN)} (note ${i})`,
  );
}

/** The p-th percentile of samples (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
