import { z } from "zod";
import type { ConfinedMemory } from "../tenancy/confine-memory.js";
import type { RelativeScope } from "../tenancy/relative-types.js";

/** A namespace relative to the server's root for this caller; omitted means the root itself. */
export const toolNamespace = z
  .array(z.string().max(128))
  .max(16)
  .optional()
  .describe(
    'Namespace segments beneath your root, e.g. ["users", "alice"]. Omit to use your root namespace (to read: everything you can see).',
  );

/** An exact namespace for tools that also take `within`. */
export const toolExactNamespace = z
  .array(z.string().max(128))
  .max(16)
  .optional()
  .describe("Only this exact namespace (relative to your root), not what lies beneath it.");

/**
 * The scope a reading tool asked for: `namespace`, `within`, both, or (neither) everything the
 * caller can see: its root, or without a root every tenant. `undefined`: nothing to read.
 */
export async function toolScope(
  memory: ConfinedMemory,
  namespace: string[] | undefined,
  within: string[] | undefined,
): Promise<RelativeScope | undefined> {
  if (namespace === undefined && within === undefined) return memory.defaultScope();
  if (namespace === undefined) return { within };
  return within === undefined ? { namespace } : { namespace, within };
}

/** A memory's kind. */
export const toolKind = z
  .string()
  .max(64)
  .describe("preference, fact (default), episode, task, feedback, or a lowercase custom kind");

/** A memory's tags. */
export const toolTags = z
  .array(z.string().max(64))
  .max(64)
  .describe('Short labels to filter by later, e.g. ["billing", "urgent"]');

/** A memory's metadata. */
export const toolMetadata = z
  .record(z.string(), z.unknown())
  .describe("Any JSON object, e.g. the source or an external id; recall can filter on its fields");

/** A memory's importance. */
export const toolImportance = z
  .number()
  .min(0)
  .max(1)
  .describe("0..1 (default 0.5): how much it matters when ranking and when making room");

/** Whether a memory is pinned. */
export const toolPinned = z
  .boolean()
  .describe("Pinned memories rank higher and are never evicted to make room");

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
