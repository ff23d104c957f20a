import { z } from "zod";

/** A namespace relative to the server's root for this caller; omitted means the root itself. */
export const toolNamespace = z
  .array(z.string().max(128))
  .max(16)
  .optional()
  .describe(
    'Namespace segments beneath your root, e.g. ["users", "alice"]. Omit to use your root namespace.',
  );

/** An exact namespace for tools that also take `within`. */
export const toolExactNamespace = z
  .array(z.string().max(128))
  .max(16)
  .optional()
  .describe("Only this exact namespace (relative to your root), not what lies beneath it.");

/** The scope a reading tool asked for: `namespace`, `within`, both, or (neither) the whole root. */
export function toolScope(
  namespace: string[] | undefined,
  within: string[] | undefined,
): { namespace?: string[]; within?: string[] } {
  if (namespace === undefined) return { within: within ?? [] };
  return within === undefined ? { namespace } : { namespace, within };
}

export const toolFilter = {
  kinds: z
    .array(z.string().max(64))
    .max(32)
    .optional()
    .describe("Only these kinds, e.g. preference, fact, episode, task, feedback"),
  tags: z
    .array(z.string().max(64))
    .max(64)
    .optional()
    .describe("Every one of these tags must be present"),
  metadata: z
    .record(z.string().max(128), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional()
    .describe("Top-level metadata fields that must equal these values"),
};
