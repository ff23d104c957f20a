import { MAX_INSTANT_MS } from "@engram/core";
import { z } from "@hono/zod-openapi";

/** The most memories one POST /v1/memories may carry. */
export const MAX_BATCH = 100;
/** The largest page GET /v1/memories returns. */
export const MAX_PAGE = 200;
/** The longest content accepted, in characters (core enforces its own limit as well). */
export const MAX_CONTENT = 32_000;

export const NamespaceSchema = z
  .array(z.string().max(128))
  .max(16)
  .openapi("Namespace", {
    description:
      "Segments relative to your key's root; [] is the root itself. Each segment is 1-128 of A-Z a-z 0-9 _ - . @ + = ~ :",
    example: ["users", "alice"],
  });

export const NamespacesSchema = z
  .union([NamespaceSchema, z.array(NamespaceSchema).max(32)])
  .openapi({ description: "One namespace, or a list of them." });

// What a Date can hold: anything past it would pass here and fail after the write.
const instant = z
  .union([z.string().max(64), z.number().min(-MAX_INSTANT_MS).max(MAX_INSTANT_MS)])
  .openapi({ description: "ISO-8601 or epoch milliseconds", example: "2030-01-01T00:00:00Z" });

const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const FilterFields = {
  kinds: z.array(z.string().max(64)).max(32).optional(),
  tags: z.array(z.string().max(64)).max(64).optional(),
  metadata: z
    .record(z.string().max(128), metadataValue)
    .optional()
    .openapi({ description: "Top-level metadata fields that must equal these values." }),
  createdAfter: instant.optional(),
  createdBefore: instant.optional(),
  updatedAfter: instant.optional(),
  updatedBefore: instant.optional(),
  pinned: z.boolean().optional(),
};

export const ScopeFields = {
  namespace: NamespacesSchema.optional(),
  within: NamespacesSchema.optional(),
};

const JsonObjectSchema = z
  .record(z.string(), z.unknown())
  .openapi({ type: "object", description: "Any JSON object (at most 64 KiB, 16 levels deep)." });

export const RememberInputSchema = z
  .strictObject({
    namespace: NamespaceSchema.optional(),
    content: z.string().min(1).max(MAX_CONTENT),
    kind: z.string().max(64).optional(),
    key: z.string().min(1).max(256).optional(),
    metadata: JsonObjectSchema.optional(),
    tags: z.array(z.string().max(64)).max(64).optional(),
    importance: z.number().min(0).max(1).optional(),
    pinned: z.boolean().optional(),
    expiresAt: instant.optional(),
    // When what the memory records happened (imported history); recall reads it as its time.
    createdAt: instant.optional(),
  })
  .openapi("RememberInput", {
    example: {
      namespace: ["users", "alice"],
      content: "Alice prefers dark mode",
      kind: "preference",
    },
  });

export const RememberBodySchema = z.union([
  RememberInputSchema,
  z.strictObject({ memories: z.array(RememberInputSchema).min(1).max(MAX_BATCH) }),
]);

export const MemorySchema = z
  .object({
    id: z.string(),
    namespace: z.array(z.string()),
    content: z.string(),
    kind: z.string(),
    key: z.string().nullable(),
    metadata: JsonObjectSchema,
    tags: z.array(z.string()),
    importance: z.number(),
    pinned: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastAccessedAt: z.string().nullable(),
    accessCount: z.number(),
    expiresAt: z.string().nullable(),
    contentHash: z.string(),
    embedding: z.object({ model: z.string(), dimensions: z.number() }),
    score: z.number().optional(),
    explain: z.record(z.string(), z.number()).optional(),
  })
  .openapi("Memory");

export const RememberResultSchema = z
  .object({
    status: z.enum(["created", "updated", "merged", "skipped"]),
    id: z.string(),
    memory: MemorySchema,
  })
  .openapi("RememberResult");

export const RememberResponseSchema = z.union([
  RememberResultSchema,
  z.object({ results: z.array(RememberResultSchema) }),
]);

export const SearchBodySchema = z
  .strictObject({
    ...ScopeFields,
    ...FilterFields,
    query: z.string().min(1).max(4096),
    mode: z.enum(["semantic", "keyword", "hybrid"]).optional(),
    limit: z.number().int().min(1).max(100).optional(),
    minScore: z.number().min(0).max(1).optional(),
    explain: z
      .boolean()
      .optional()
      .openapi({ description: "Add the score components to each result" }),
  })
  .openapi("SearchRequest", { example: { within: ["users"], query: "display preferences" } });

export const HistorySchema = z
  .object({
    entries: z.array(
      z.object({
        action: z.enum(["created", "updated", "merged", "deleted"]),
        at: z.string(),
        before: MemorySchema.nullable(),
        after: MemorySchema.nullable(),
        source: z
          .object({
            namespace: z.array(z.string()),
            threadId: z.string(),
            messageIds: z.array(z.string()),
          })
          .optional()
          .openapi({ description: "The thread and messages the change came from (ingest)" }),
      }),
    ),
  })
  .openapi("History");

const commaList = z
  .string()
  .max(2048)
  .transform((value) => value.split(",").filter((item) => item.length > 0));

/** `namespace` (exact) and `within` (a subtree) as paths in a query string. */
export const PathScopeQueryFields = {
  namespace: z
    .string()
    .max(2200)
    .optional()
    .openapi({ description: "An exact namespace as a path, e.g. users/alice" }),
  within: z
    .string()
    .max(2200)
    .optional()
    .openapi({ description: "A subtree as a path; empty or absent means your whole root" }),
};

export const ListQuerySchema = z.object({
  ...PathScopeQueryFields,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
  cursor: z.string().max(200).optional(),
  kinds: commaList.optional().openapi({ type: "string", description: "Comma-separated kinds" }),
  tags: commaList.optional().openapi({ type: "string", description: "Comma-separated tags" }),
  pinned: z.enum(["true", "false"]).optional(),
  createdAfter: z.string().max(64).optional(),
  createdBefore: z.string().max(64).optional(),
  updatedAfter: z.string().max(64).optional(),
  updatedBefore: z.string().max(64).optional(),
});

export const PageSchema = z
  .object({ memories: z.array(MemorySchema), nextCursor: z.string().nullable() })
  .openapi("MemoryPage");

export const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const UpdateBodySchema = z
  .strictObject({
    content: z.string().min(1).max(MAX_CONTENT).optional(),
    kind: z.string().max(64).optional(),
    key: z.string().min(1).max(256).nullable().optional(),
    metadata: JsonObjectSchema.optional(),
    tags: z.array(z.string().max(64)).max(64).optional(),
    importance: z.number().min(0).max(1).optional(),
    pinned: z.boolean().optional(),
    expiresAt: instant.nullable().optional(),
  })
  .openapi("MemoryPatch");

export const ForgetBodySchema = z
  .strictObject({
    ids: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
    ...ScopeFields,
    ...FilterFields,
  })
  .refine(
    (body) => body.ids !== undefined || body.namespace !== undefined || body.within !== undefined,
    { message: "give ids, a namespace or a within prefix", path: ["ids"] },
  )
  .openapi("ForgetRequest");

export const EraseBodySchema = z
  .strictObject({ namespace: NamespaceSchema })
  .openapi("EraseRequest", { example: { namespace: ["users", "alice"] } });

export const EraseResultSchema = z
  .object({
    deleted: z.number().openapi({ description: "Memories erased (the same as memories)" }),
    memories: z.number(),
    threads: z.number(),
    messages: z.number(),
    workingMemories: z.number(),
    attached: z.record(z.string(), z.number()).openapi({
      description: "What adapters' attached stores (threads, chat histories) erased, by store",
    }),
  })
  .openapi("Erased");

export const PruneBodySchema = z
  .strictObject({
    ...ScopeFields,
    capacity: z.number().int().min(1).optional().openapi({
      description: "Most memories each namespace keeps; defaults to the server's --capacity",
    }),
  })
  .openapi("PruneRequest", { example: { within: ["users"], capacity: 500 } });

export const PruneResultSchema = z
  .object({ evicted: z.number(), namespaces: z.number() })
  .openapi("Pruned");

export const CountSchema = z.object({ deleted: z.number() }).openapi("Deleted");

export const ErrorSchema = z
  .object({
    name: z.string(),
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("EngramError");

const errorResponse = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

/** The error responses every authenticated route may give. */
export const ERROR_RESPONSES = {
  400: errorResponse("Malformed JSON or a schema violation (INVALID_ARGUMENT, INVALID_NAMESPACE)"),
  401: errorResponse("No API key, or an invalid one (UNAUTHENTICATED)"),
  403: errorResponse("The key lacks the scope (FORBIDDEN)"),
  404: errorResponse("No such memory within your root (NOT_FOUND)"),
  413: errorResponse("The body is too large (PAYLOAD_TOO_LARGE)"),
  429: errorResponse("Rate limited; see Retry-After (RATE_LIMITED)"),
} as const;

/** Reads a JSON body's schema for `createRoute`. */
export function jsonBody<T>(schema: T) {
  return { content: { "application/json": { schema } }, required: true } as const;
}

/** A JSON response for `createRoute`. */
export function jsonResponse<T>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description } as const;
}
