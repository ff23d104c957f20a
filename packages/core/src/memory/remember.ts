import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace, validateNamespace } from "../namespace/namespace.js";
import { contentHash } from "../record/content-hash.js";
import { createId } from "../record/ids.js";
import { cloneJson } from "../record/json.js";
import type { MemoryRecord, StoredMemory } from "../record/memory-record.js";
import { parseInput, rememberInputSchema } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import type { RememberInput, RememberResult } from "./types.js";

type ParsedInput = ReturnType<typeof rememberInputSchema.parse>;

function validate(context: MemoryContext, raw: unknown, index: number | undefined): ParsedInput {
  const label = index === undefined ? "memory" : `memory [${index}]`;
  if (typeof raw === "object" && raw !== null && "namespace" in raw) {
    validateNamespace((raw as { namespace: unknown }).namespace);
  }
  const input = parseInput(rememberInputSchema, raw, label);
  if (input.content.length > context.limits.contentLength) {
    throw new EngramError(
      "CONTENT_TOO_LARGE",
      `The content of ${label} has ${input.content.length} characters; the limit is ${context.limits.contentLength}.`,
      { details: { length: input.content.length, limit: context.limits.contentLength, index } },
    );
  }
  if (input.expiresAt !== undefined && input.ttlMs !== undefined) {
    throw new EngramError("INVALID_ARGUMENT", `Give ${label} an expiresAt or a ttlMs, not both.`, {
      details: { issues: [{ path: ["ttlMs"], message: "conflicts with expiresAt" }], index },
    });
  }
  if (input.expiresAt !== undefined && input.expiresAt <= context.now()) {
    throw new EngramError("INVALID_ARGUMENT", `The expiresAt of ${label} is in the past.`, {
      details: { issues: [{ path: ["expiresAt"], message: "in the past" }], index },
    });
  }
  return input;
}

/** Stores memories, all or none: every input is validated and embedded before anything is written. */
export async function remember(
  context: MemoryContext,
  inputs: readonly RememberInput[],
  single: boolean,
): Promise<RememberResult[]> {
  if (inputs.length > context.limits.batchSize) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      `remember takes at most ${context.limits.batchSize} memories per call; got ${inputs.length}.`,
      { details: { limit: context.limits.batchSize } },
    );
  }
  const parsed = inputs.map((raw, index) => validate(context, raw, single ? undefined : index));
  if (parsed.length === 0) return [];

  const pipeline = await context.embeddings();
  const hashes = parsed.map((input) => contentHash(input.content));
  const vectors = await pipeline.embedDocuments(
    parsed.map((input) => input.content),
    hashes,
  );

  // A key taken by another process between our lookup and our write is a CONFLICT: look the
  // keys up again and retry, so the second writer updates what the first created.
  const attempt = async (): Promise<RememberResult[]> => {
    const now = context.now();
    // The last input with a given key wins, as if the inputs had been remembered in order.
    const byKey = new Map<string, StoredMemory>();
    const results: RememberResult[] = [];
    const writes: StoredMemory[] = [];
    for (const [index, input] of parsed.entries()) {
      const namespace = validateNamespace(input.namespace);
      const slot =
        input.key === undefined ? undefined : `${encodeNamespace(namespace)}\u0000${input.key}`;
      const previous: MemoryRecord | undefined =
        (slot && byKey.get(slot)) ||
        (input.key === undefined
          ? undefined
          : await context.backend.getByKey(encodeNamespace(namespace), input.key, now));
      const vector = vectors[index]!;
      const memory: StoredMemory = {
        id: previous?.id ?? createId(now),
        namespace,
        content: input.content,
        kind: input.kind,
        key: input.key,
        metadata: cloneJson(input.metadata),
        tags: [...new Set(input.tags)],
        importance: input.importance,
        pinned: input.pinned,
        createdAt: previous?.createdAt ?? new Date(now),
        updatedAt: new Date(now),
        lastAccessedAt: previous?.lastAccessedAt,
        accessCount: previous?.accessCount ?? 0,
        expiresAt: expiryOf(context, input, now),
        contentHash: hashes[index]!,
        embedding: { model: pipeline.model, dimensions: vector.length },
        vector,
      };
      if (slot) byKey.set(slot, memory);
      const { vector: _, ...record } = memory;
      results.push({ status: previous ? "updated" : "created", id: memory.id, memory: record });
      writes.push(memory);
    }
    await context.bind(vectors[0]!.length);
    // A key repeated in the batch is written once, with its last value.
    const finalWrites = new Map(writes.map((memory) => [memory.id, memory]));
    const createdIds = new Set(results.filter((r) => r.status === "created").map((r) => r.id));
    await context.backend.write(
      [...finalWrites.values()].map((memory) => ({
        type: "put",
        memory,
        created: createdIds.has(memory.id),
      })),
    );
    return results;
  };
  return context.serialize(async () => {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(EngramError.isInstance(error) && error.code === "CONFLICT" && tries < 3)) throw error;
      }
    }
  });
}

/** An explicit expiry, else a lifetime from now, else the kind's default lifetime, else none. */
function expiryOf(context: MemoryContext, input: ParsedInput, now: number): Date | undefined {
  if (input.expiresAt !== undefined) return new Date(input.expiresAt);
  const ttl = input.ttlMs ?? context.ttlByKind[input.kind];
  return ttl === undefined ? undefined : new Date(now + ttl);
}
