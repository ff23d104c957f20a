import { z } from "zod";
import type { HistoryEntry, WriteOperation } from "../backends/backend.js";
import { tenantIn } from "../backends/backend-tenant.js";
import type { EmbeddingPipeline } from "../embedders/embedding-pipeline.js";
import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace, validateNamespace } from "../namespace/namespace.js";
import { contentHash } from "../record/content-hash.js";
import { isId } from "../record/ids.js";
import type { MemoryRecord } from "../record/memory-record.js";
import {
  importanceSchema,
  instantSchema,
  keySchema,
  kindSchema,
  metadataSchema,
  parseInput,
  tagSchema,
} from "../record/schemas.js";
import { callerVector } from "./caller-vector.js";
import type { MemoryContext } from "./context.js";

const recordSchema = z.object({
  id: z.string().refine(isId, "not an Engram id"),
  namespace: z.array(z.string()),
  content: z.string().min(1),
  kind: kindSchema,
  key: keySchema.nullish(),
  metadata: metadataSchema,
  tags: z.array(tagSchema),
  importance: importanceSchema,
  pinned: z.boolean(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  lastAccessedAt: instantSchema.nullish(),
  accessCount: z.number().int().min(0),
  expiresAt: instantSchema.nullish(),
});

const itemSchema = z.strictObject({
  memory: recordSchema,
  // The vector an export carried: used as is when `model` is the memory's embedder.
  vector: z
    .object({ model: z.string().min(1).max(256), values: z.array(z.number()).min(1).max(65_536) })
    .optional(),
  history: z
    .array(
      z.object({
        action: z.enum(["created", "updated", "merged", "deleted"]),
        at: instantSchema,
        before: recordSchema.nullish(),
        after: recordSchema.nullish(),
        source: z
          .object({
            namespace: z.array(z.string()),
            threadId: z.string().min(1).max(256),
            messageIds: z.array(z.string().min(1).max(256)).max(10_000),
          })
          .nullish(),
      }),
    )
    .max(10_000)
    .default([]),
});

/** A memory as exported (dates may be ISO strings), with its history. */
export type RestoreItem = z.input<typeof itemSchema>;

/** What `restore` did: memories written, and memories skipped because their id exists. */
export interface RestoreResult {
  restored: number;
  skipped: number;
}

type ParsedRecord = z.output<typeof recordSchema>;

function toRecord(raw: ParsedRecord, model: string, dimensions: number): MemoryRecord {
  const date = (millis: number | null | undefined) =>
    millis == null ? undefined : new Date(millis);
  return {
    id: raw.id,
    namespace: validateNamespace(raw.namespace),
    content: raw.content,
    kind: raw.kind,
    key: raw.key ?? undefined,
    metadata: raw.metadata,
    tags: [...new Set(raw.tags)],
    importance: raw.importance,
    pinned: raw.pinned,
    createdAt: new Date(raw.createdAt),
    updatedAt: new Date(raw.updatedAt),
    lastAccessedAt: date(raw.lastAccessedAt),
    accessCount: raw.accessCount,
    expiresAt: date(raw.expiresAt),
    contentHash: contentHash(raw.content),
    embedding: { model, dimensions },
  };
}

/** Each item's vector: the one it carries when made by this model, else embedded. */
async function vectorsOf(
  context: MemoryContext,
  pipeline: EmbeddingPipeline,
  items: readonly z.output<typeof itemSchema>[],
  stored: number | undefined,
): Promise<Float32Array[]> {
  const carried = (item: (typeof items)[number]) => item.vector?.model === pipeline.model;
  const todo = items.flatMap((item, index) => (carried(item) ? [] : [index]));
  const embedded =
    todo.length === 0
      ? []
      : await pipeline.embedDocuments(
          todo.map((index) => items[index]!.memory.content),
          undefined,
          todo.map((index) => tenantIn(context.backend, items[index]!.memory.namespace)),
        );
  let dimensions = stored ?? pipeline.dimensions ?? embedded[0]?.length;
  const given = new Map(todo.map((index, at) => [index, embedded[at]!]));
  return items.map((item, index) => {
    if (!carried(item)) return given.get(index)!;
    const vector = callerVector(item.vector!.values, dimensions, `The vector of memory [${index}]`);
    dimensions ??= vector.length;
    return vector;
  });
}

/**
 * Writes exported memories back exactly: ids, timestamps, counters and history. A memory whose
 * id already exists is skipped, so importing the same file twice changes nothing. All or none.
 */
export async function restore(
  context: MemoryContext,
  raw: readonly RestoreItem[],
): Promise<RestoreResult> {
  if (raw.length > context.limits.batchSize) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      `restore takes at most ${context.limits.batchSize} memories per call.`,
    );
  }
  const items = raw.map((item, index) => {
    const parsed = parseInput(itemSchema, item, `memory [${index}]`);
    validateNamespace(parsed.memory.namespace);
    return parsed;
  });
  if (items.length === 0) return { restored: 0, skipped: 0 };
  const pipeline = await context.embeddings();
  const vectors = await vectorsOf(context, pipeline, items, await context.dimensions());
  return context.serialize(async () => {
    const now = context.now();
    const existing = await context.backend.get(
      items.map((item) => item.memory.id),
      Number.MIN_SAFE_INTEGER,
    );
    const operations: WriteOperation[] = [];
    let restored = 0;
    for (const [index, item] of items.entries()) {
      if (existing[index]) continue;
      const vector = vectors[index]!;
      const memory = toRecord(item.memory, pipeline.model, vector.length);
      if (memory.key !== undefined) {
        const holder = await context.backend.getByKey(
          encodeNamespace(memory.namespace),
          memory.key,
          now,
        );
        if (holder && holder.id !== memory.id) {
          throw new EngramError(
            "CONFLICT",
            `Key ${memory.key} already belongs to memory ${holder.id}.`,
            {
              details: { index, key: memory.key, id: holder.id },
            },
          );
        }
      }
      operations.push({ type: "put", memory: { ...memory, vector }, created: true });
      for (const entry of item.history) {
        const history: HistoryEntry = {
          memoryId: memory.id,
          namespace: memory.namespace,
          action: entry.action,
          before: entry.before ? toRecord(entry.before, pipeline.model, vector.length) : undefined,
          after: entry.after ? toRecord(entry.after, pipeline.model, vector.length) : undefined,
          at: new Date(entry.at),
          ...(entry.source
            ? { source: { ...entry.source, namespace: validateNamespace(entry.source.namespace) } }
            : {}),
        };
        operations.push({ type: "history", entry: history });
      }
      restored += 1;
    }
    if (operations.length > 0) {
      await context.bind(vectors[0]!.length);
      await context.backend.write(operations);
    }
    return { restored, skipped: items.length - restored };
  });
}
