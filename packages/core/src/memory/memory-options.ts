import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import type { RankingOptions } from "../retrieval/ranking.js";

const loose = z.unknown().optional();
const share = z.number().min(0).max(1).optional();
const duration = z.number().min(0).finite().optional();

// Ranking values are used as they are deep in every recall, so they are checked here.
const rankingSchema = z.strictObject({
  recencyHalfLifeMs: z.union([z.number().positive().finite(), z.literal(false)]).optional(),
  weight: share,
  neighbourWeight: share,
  neighbourWindowMs: duration,
  timeWeight: share,
  timeSlackMs: duration,
} satisfies Record<keyof RankingOptions, z.ZodType>);

// Names, and the values nothing else checks: the rest are checked where they are used
// (retention, the embedder).
const optionsSchema = z.strictObject({
  backend: loose,
  embedder: loose,
  limits: z.strictObject({ contentLength: loose, batchSize: loose }).optional(),
  now: loose,
  ttlByKind: loose,
  dedup: z.strictObject({ policy: loose, threshold: loose }).optional(),
  ranking: rankingSchema.optional(),
  countTokens: loose,
  retention: loose,
  telemetry: loose,
});

/** Throws `INVALID_ARGUMENT` naming the first option `createMemory` does not know (a typo). */
export function assertKnownOptions(options: unknown): void {
  // `dedup: false` turns deduplication off; an object configures it.
  const { dedup, ...rest } = (options ?? {}) as Record<string, unknown>;
  const result = optionsSchema.safeParse(dedup === false ? rest : options);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const unknown = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
  const path = [...issue.path.map(String), ...(unknown === undefined ? [] : [unknown])];
  const known =
    issue.path.length === 0
      ? `; known options are ${Object.keys(optionsSchema.shape).join(", ")}`
      : "";
  const message =
    unknown === undefined
      ? `Invalid createMemory option ${path.join(".")}: ${issue.message}.`
      : `Unknown createMemory option ${path.join(".")}${known}.`;
  throw new EngramError("INVALID_ARGUMENT", message, {
    details: { issues: [{ path, message: issue.message }] },
  });
}
