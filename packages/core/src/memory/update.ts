import type { HistorySource } from "../backends/backend.js";
import { tenantIn } from "../backends/backend-tenant.js";
import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { contentHash } from "../record/content-hash.js";
import { cloneJson } from "../record/json.js";
import type { MemoryRecord, StoredMemory } from "../record/memory-record.js";
import { idSchema, parseInput, updatePatchSchema } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import type { MemoryPatch } from "./types.js";

function unchanged(current: MemoryRecord, next: StoredMemory, model: string): boolean {
  return (
    current.embedding.model === model &&
    current.contentHash === next.contentHash &&
    current.content === next.content &&
    current.kind === next.kind &&
    current.key === next.key &&
    JSON.stringify(current.metadata) === JSON.stringify(next.metadata) &&
    JSON.stringify(current.tags) === JSON.stringify(next.tags) &&
    current.importance === next.importance &&
    current.pinned === next.pinned &&
    current.expiresAt?.getTime() === next.expiresAt?.getTime()
  );
}

/**
 * Changes some fields of one memory and returns it; throws `NOT_FOUND` for an unknown id. A
 * patch that changes nothing writes nothing and returns the memory as it is.
 */
export async function update(
  context: MemoryContext,
  id: string,
  rawPatch: MemoryPatch,
  source?: HistorySource,
): Promise<MemoryRecord> {
  const validId = parseInput(idSchema, id, "id");
  const patch = parseInput(updatePatchSchema, rawPatch, "patch");
  if (patch.content !== undefined && patch.content.length > context.limits.contentLength) {
    throw new EngramError(
      "CONTENT_TOO_LARGE",
      `The content has ${patch.content.length} characters; the limit is ${context.limits.contentLength}.`,
      { details: { length: patch.content.length, limit: context.limits.contentLength } },
    );
  }
  const pipeline = await context.embeddings();
  return context.serialize(async () => {
    const now = context.now();
    const [current] = await context.backend.get([validId], now);
    if (!current)
      throw new EngramError("NOT_FOUND", `No memory with id ${validId}.`, {
        details: { id: validId },
      });
    if (patch.expiresAt !== undefined && patch.expiresAt !== null && patch.expiresAt <= now) {
      throw new EngramError("INVALID_ARGUMENT", "expiresAt is in the past.", {
        details: { issues: [{ path: ["expiresAt"], message: "in the past" }] },
      });
    }
    const key = patch.key === undefined ? current.key : (patch.key ?? undefined);
    if (key !== undefined && key !== current.key) {
      const holder = await context.backend.getByKey(encodeNamespace(current.namespace), key, now);
      if (holder && holder.id !== current.id) {
        throw new EngramError(
          "CONFLICT",
          `Key ${key} already belongs to memory ${holder.id} in this namespace.`,
          {
            details: { key, id: holder.id },
          },
        );
      }
    }
    const content = patch.content ?? current.content;
    const hash = patch.content === undefined ? current.contentHash : contentHash(content);
    // Unchanged content finds its stored vector through the pipeline; the embedder is not called.
    const [vector] = await pipeline.embedDocuments(
      [content],
      [hash],
      [tenantIn(context.backend, current.namespace)],
    );
    const stored: StoredMemory = {
      ...current,
      content,
      kind: patch.kind ?? current.kind,
      key,
      metadata: patch.metadata === undefined ? current.metadata : cloneJson(patch.metadata),
      tags: patch.tags === undefined ? current.tags : [...new Set(patch.tags)],
      importance: patch.importance ?? current.importance,
      pinned: patch.pinned ?? current.pinned,
      expiresAt:
        patch.expiresAt === undefined
          ? current.expiresAt
          : patch.expiresAt === null
            ? undefined
            : new Date(patch.expiresAt),
      contentHash: hash,
      updatedAt: new Date(now),
      embedding: { model: pipeline.model, dimensions: vector!.length },
      vector: vector!,
    };
    const { vector: _, ...record } = stored;
    // A patch that changes nothing (a retried call, most often) writes nothing: no new
    // `updatedAt`, history entry or event, so sending an update twice ends as sending it once.
    if (unchanged(current, stored, pipeline.model)) return current;
    await context.backend.write([
      { type: "put", memory: stored, created: false },
      {
        type: "history",
        entry: {
          memoryId: record.id,
          namespace: record.namespace,
          action: "updated",
          before: current,
          after: record,
          at: new Date(now),
          ...(source ? { source } : {}),
        },
      },
    ]);
    return record;
  });
}
