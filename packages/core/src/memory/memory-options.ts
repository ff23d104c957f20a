import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import { DEFAULT_RANKING } from "../retrieval/ranking.js";

const loose = z.unknown().optional();

// Only the names: each option's value is checked where it is used (retention, the embedder).
const optionsSchema = z.strictObject({
  backend: loose,
  embedder: loose,
  limits: z.strictObject({ contentLength: loose, batchSize: loose }).optional(),
  now: loose,
  ttlByKind: loose,
  dedup: z.strictObject({ policy: loose, threshold: loose }).optional(),
  // Every ranking option has a default, so the defaults name them all.
  ranking: z
    .strictObject(Object.fromEntries(Object.keys(DEFAULT_RANKING).map((name) => [name, loose])))
    .optional(),
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
