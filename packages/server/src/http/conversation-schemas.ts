import { z } from "@hono/zod-openapi";
import {
  FilterFields,
  MemorySchema,
  NamespaceSchema,
  PathScopeQueryFields,
  ScopeFields,
} from "./schemas.js";

/** The most messages one append may carry (core's own limit). */
export const MAX_APPEND = 1000;

const instant = z
  .union([z.string().max(64), z.number()])
  .openapi({ description: "ISO-8601 or epoch milliseconds", example: "2030-01-01T00:00:00Z" });

const JsonObjectSchema = z
  .record(z.string(), z.unknown())
  .openapi({ type: "object", description: "Any JSON object (at most 64 KiB, 16 levels deep)." });

/** A thread or message id: 1-256 characters. */
const conversationId = z.string().min(1).max(256);

const RoleSchema = z.enum(["user", "assistant", "system", "tool"]);

const MessageContentSchema = z
  .union([z.string(), z.array(z.object({ type: z.string() }).passthrough()).max(1000)])
  .openapi({
    description:
      'Text, or a list of parts: { "type": "text", "text" }, { "type": "tool-call", … }, { "type": "tool-result", … }',
  });

const namespacePath = z.string().max(2200).optional().openapi({
  description: "The thread's namespace as a path, e.g. users/alice; default your root",
});

/** `?namespace=a/b`: where the thread in the path lives. */
export const ThreadQuerySchema = z.object({ namespace: namespacePath });

export const ThreadParamSchema = z.object({
  threadId: conversationId.openapi({ param: { name: "threadId", in: "path" } }),
});

export const MessageParamSchema = z.object({
  threadId: conversationId.openapi({ param: { name: "threadId", in: "path" } }),
  messageId: conversationId.openapi({ param: { name: "messageId", in: "path" } }),
});

export const ThreadSchema = z
  .object({
    id: z.string(),
    namespace: z.array(z.string()),
    title: z.string().nullable(),
    metadata: JsonObjectSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    messageCount: z.number(),
    summary: z
      .object({ text: z.string(), throughMessageId: z.string(), updatedAt: z.string() })
      .nullable(),
  })
  .openapi("Thread");

export const MessageSchema = z
  .object({
    id: z.string(),
    threadId: z.string(),
    namespace: z.array(z.string()),
    role: RoleSchema,
    content: MessageContentSchema,
    metadata: JsonObjectSchema,
    createdAt: z.string(),
  })
  .openapi("Message");

export const WorkingMemorySchema = z
  .object({
    content: z.union([JsonObjectSchema, z.string()]),
    version: z.number(),
    updatedAt: z.string(),
  })
  .openapi("WorkingMemory");

export const CreateThreadBodySchema = z
  .strictObject({
    namespace: NamespaceSchema.optional(),
    id: conversationId.optional(),
    title: z.string().max(1000).optional(),
    metadata: JsonObjectSchema.optional(),
    createdAt: instant.optional(),
  })
  .openapi("CreateThread", { example: { namespace: ["users", "alice"], title: "Trip planning" } });

export const UpdateThreadBodySchema = z
  .strictObject({
    title: z.string().max(1000).nullable().optional(),
    metadata: JsonObjectSchema.optional(),
  })
  .openapi("ThreadPatch");

const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ListThreadsQuerySchema = z.object({
  ...PathScopeQueryFields,
  metadata: z
    .string()
    .max(4096)
    .optional()
    .openapi({ description: 'Top-level metadata equality as JSON, e.g. {"channel":"web"}' }),
  order: z.enum(["newest", "oldest"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(600).optional(),
});

/** The metadata filter of a thread list, parsed from its JSON query parameter. */
export const ThreadMetadataFilterSchema = z.record(z.string().max(128), metadataValue);

export const ThreadPageSchema = z
  .object({ threads: z.array(ThreadSchema), nextCursor: z.string().nullable() })
  .openapi("ThreadPage");

export const CloneThreadBodySchema = z
  .strictObject({
    to: z
      .strictObject({
        namespace: NamespaceSchema.optional(),
        id: conversationId.optional(),
        title: z.string().max(1000).optional(),
        metadata: JsonObjectSchema.optional(),
      })
      .optional(),
    messageIds: z.array(conversationId).max(1000).optional(),
    last: z.number().int().min(1).max(100_000).optional(),
    keepMessageIds: z.boolean().optional(),
  })
  .openapi("CloneThread", { example: { to: { title: "A branch" }, last: 20 } });

const MessageInputSchema = z
  .strictObject({
    id: conversationId.optional(),
    role: RoleSchema,
    content: MessageContentSchema,
    metadata: JsonObjectSchema.optional(),
    createdAt: instant.optional(),
  })
  .openapi("MessageInput");

export const AppendMessagesBodySchema = z
  .strictObject({
    messages: z.array(MessageInputSchema).min(1).max(MAX_APPEND),
    createThread: z
      .boolean()
      .optional()
      .openapi({ description: "false: the thread must exist already; default true" }),
  })
  .openapi("AppendMessages", {
    example: { messages: [{ role: "user", content: "I am vegetarian" }] },
  });

export const MessagesSchema = z.object({ messages: z.array(MessageSchema) }).openapi("Messages");

const roleList = z
  .string()
  .max(100)
  .transform((value) => value.split(",").filter((item) => item.length > 0))
  .pipe(z.array(RoleSchema).max(4));

export const WindowQuerySchema = z.object({
  namespace: namespacePath,
  last: z.coerce.number().int().min(1).max(1000).optional(),
  before: conversationId.optional(),
  after: conversationId.optional(),
  from: z.string().max(64).optional(),
  to: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  roles: roleList.optional().openapi({ type: "string", description: "Comma-separated roles" }),
});

export const MessageWindowSchema = z
  .object({
    messages: z.array(MessageSchema),
    previousCursor: z.string().nullable(),
    nextCursor: z.string().nullable(),
  })
  .openapi("MessageWindow");

export const UpdateMessageBodySchema = z
  .strictObject({
    content: MessageContentSchema.optional(),
    role: RoleSchema.optional(),
    metadata: JsonObjectSchema.optional(),
  })
  .openapi("MessagePatch");

export const DeleteMessagesBodySchema = z
  .strictObject({ ids: z.array(conversationId).min(1).max(1000) })
  .openapi("DeleteMessages");

export const WorkingMemoryQuerySchema = z.object({
  namespace: namespacePath,
  threadId: conversationId
    .optional()
    .openapi({ description: "The thread's own document rather than the namespace's" }),
});

const workingMemoryAddress = {
  namespace: NamespaceSchema.optional(),
  threadId: conversationId.optional(),
};

const version = z.number().int().min(0).optional().openapi({
  description: "Write only if the stored version is still this (0: none yet); else 409",
});

export const ReplaceWorkingMemoryBodySchema = z
  .strictObject({
    ...workingMemoryAddress,
    content: z.union([JsonObjectSchema, z.string()]),
    version,
  })
  .openapi("ReplaceWorkingMemory", {
    example: { namespace: ["users", "alice"], content: { diet: "vegetarian" } },
  });

export const PatchWorkingMemoryBodySchema = z
  .strictObject({
    ...workingMemoryAddress,
    patch: JsonObjectSchema.openapi({
      description: "A JSON merge patch (RFC 7386): null removes a field, objects merge",
    }),
    version,
  })
  .openapi("PatchWorkingMemory", {
    example: { namespace: ["users", "alice"], patch: { city: "Lyon" } },
  });

const CandidateSchema = z
  .strictObject({
    content: z.string().min(1).max(32_000),
    kind: z.string().max(64).optional(),
    tags: z.array(z.string().max(64)).max(64).optional(),
    importance: z.number().min(0).max(1).optional(),
    metadata: JsonObjectSchema.optional(),
    messageIds: z.array(conversationId).max(1000).optional(),
  })
  .openapi("Candidate");

export const IngestBodySchema = z
  .strictObject({
    into: NamespaceSchema.optional().openapi({
      description: "Where memories go; default the thread's namespace",
    }),
    similar: z.number().int().min(0).max(100).optional(),
    candidates: z.array(CandidateSchema).max(1000).optional().openapi({
      description:
        "Facts you extracted from the thread's new messages (with your own model). Without them the server's default extractor keeps each new user message as an episode.",
    }),
  })
  .openapi("IngestRequest", { example: {} });

export const IngestReportSchema = z
  .object({
    messages: z.number(),
    decisions: z.array(
      z.object({
        action: z.enum(["add", "update", "delete", "none"]),
        memoryId: z.string().nullable(),
        candidate: CandidateSchema,
        refused: z.string().optional(),
      }),
    ),
    summarized: z.boolean(),
    busy: z.boolean(),
  })
  .openapi("IngestReport");

export const DeletedFlagSchema = z.object({ deleted: z.literal(true) }).openapi("DeletedOne");

export const ContextBodySchema = z
  .strictObject({
    ...ScopeFields,
    ...FilterFields,
    query: z.string().min(1).max(4096).optional().openapi({
      description: "What the memories should answer; required unless a thread is given",
    }),
    mode: z.enum(["semantic", "keyword", "hybrid"]).optional(),
    minScore: z.number().min(0).max(1).optional(),
    maxTokens: z.number().int().min(0).max(100_000),
    format: z.enum(["markdown", "text"]).optional(),
    candidates: z.number().int().min(1).max(100).optional(),
    thread: z
      .strictObject({ namespace: NamespaceSchema.optional(), threadId: conversationId })
      .optional()
      .openapi({ description: "Adds the thread's summary and recent messages" }),
    workingMemory: z
      .union([z.boolean(), z.literal("thread")])
      .optional()
      .openapi({
        description: "Adds the working memory: the namespace's (true) or the thread's (\"thread\")",
      }),
    shares: z
      .strictObject({
        workingMemory: z.number().min(0).max(1).optional(),
        conversation: z.number().min(0).max(1).optional(),
        memories: z.number().min(0).max(1).optional(),
      })
      .optional()
      .openapi({ description: "Each part's share of maxTokens; default 0.2 / 0.4 / 0.4" }),
  })
  .openapi("ContextRequest", { example: { query: "What does Alice like?", maxTokens: 500 } });

export const ContextResultSchema = z
  .object({
    text: z.string(),
    tokens: z.number(),
    memories: z.array(MemorySchema),
    workingMemory: WorkingMemorySchema.optional(),
    summary: z.string().optional(),
    messages: z.array(MessageSchema).optional(),
  })
  .openapi("ContextBlock");
