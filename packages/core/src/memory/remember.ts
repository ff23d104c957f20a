import type { HistorySource, WriteOperation } from "../backends/backend.js";
import { tenantIn } from "../backends/backend-tenant.js";
import type { EmbeddingPipeline } from "../embedders/embedding-pipeline.js";
import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace, validateNamespace } from "../namespace/namespace.js";
import { contentHash } from "../record/content-hash.js";
import { createId } from "../record/ids.js";
import { cloneJson } from "../record/json.js";
import type { MemoryRecord, StoredMemory } from "../record/memory-record.js";
import { parseInput, rememberInputSchema } from "../record/schemas.js";
import { callerVector } from "./caller-vector.js";
import type { MemoryContext } from "./context.js";
import {
  BatchNearDuplicates,
  chooseNearDuplicate,
  mergeDuplicate,
  type NearCandidate,
  sameSubstance,
  storedNearDuplicates,
} from "./deduplicate.js";
import { deletionWrites } from "./forget.js";
import { evictionsForRemember } from "./retention.js";
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
  if (input.createdAt !== undefined && input.createdAt > context.now()) {
    throw new EngramError("INVALID_ARGUMENT", `The createdAt of ${label} is in the future.`, {
      details: { issues: [{ path: ["createdAt"], message: "in the future" }], index },
    });
  }
  return input;
}

/** Each input's vector: the caller's own (checked and normalised), or embedded from its content. */
async function embedOrTake(
  context: MemoryContext,
  pipeline: EmbeddingPipeline,
  parsed: readonly ParsedInput[],
  hashes: readonly string[],
  stored: number | undefined,
  single: boolean,
): Promise<Float32Array[]> {
  const todo = parsed.flatMap((input, index) => (input.vector ? [] : [index]));
  const embedded =
    todo.length === 0
      ? []
      : await pipeline.embedDocuments(
          todo.map((index) => parsed[index]!.content),
          todo.map((index) => hashes[index]!),
          todo.map((index) => tenantIn(context.backend, parsed[index]!.namespace)),
        );
  // Until the store is bound, the first vector of the batch sets the length the rest must have.
  let dimensions = stored ?? embedded[0]?.length;
  const given = new Map(todo.map((index, at) => [index, embedded[at]!]));
  return parsed.map((input, index) => {
    if (!input.vector) return given.get(index)!;
    const vector = callerVector(
      input.vector,
      dimensions,
      single ? "The memory's vector" : `The vector of memory [${index}]`,
    );
    dimensions ??= vector.length;
    return vector;
  });
}

/**
 * Stores memories, all or none: every input is validated and embedded before anything is written.
 * `source` (from ingest) is recorded in the history entries of what the call writes.
 */
export async function remember(
  context: MemoryContext,
  inputs: readonly RememberInput[],
  single: boolean,
  source?: HistorySource,
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
  const vectors = await embedOrTake(
    context,
    pipeline,
    parsed,
    hashes,
    await context.dimensions(),
    single,
  );

  // A key taken by another process between our lookup and our write is a CONFLICT: look the
  // keys up again and retry, so the second writer updates what the first created.
  const attempt = async (): Promise<RememberResult[]> => {
    const now = context.now();
    // Every memory this batch writes, by id, so later inputs build on earlier ones.
    const touched = new Map<string, Touched>();
    const bySlot = new Map<string, string>();
    const results: RememberResult[] = [];
    const stored =
      context.dedup === false ? new Map() : await storedDuplicates(context, parsed, hashes, now);
    const threshold = context.dedup === false ? 1 : context.dedup.threshold;
    // One index lookup for the whole batch; inputs then also check what the batch wrote so far.
    const nearStored = await nearDuplicatesOfInputs(context, parsed, vectors, threshold, now);
    const nearInBatch = new BatchNearDuplicates(threshold);

    for (const [index, input] of parsed.entries()) {
      const namespace = validateNamespace(input.namespace);
      const encoded = encodeNamespace(namespace);
      const vector = vectors[index]!;
      const fresh: StoredMemory = {
        id: createId(now),
        namespace,
        content: input.content,
        kind: input.kind,
        key: input.key,
        metadata: cloneJson(input.metadata),
        tags: [...new Set(input.tags)],
        importance: input.importance,
        pinned: input.pinned,
        createdAt: new Date(input.createdAt ?? now),
        updatedAt: new Date(now),
        lastAccessedAt: undefined,
        accessCount: 0,
        expiresAt: expiryOf(context, input, now),
        contentHash: hashes[index]!,
        embedding: { model: pipeline.model, dimensions: vector.length },
        vector,
      };
      const current = async (record: MemoryRecord): Promise<Touched> =>
        touched.get(record.id) ?? {
          memory: {
            ...record,
            vector: (
              await pipeline.embedDocuments(
                [record.content],
                [record.contentHash],
                [tenantIn(context.backend, record.namespace)],
              )
            )[0]!,
          },
          before: record,
          action: "updated",
        };
      const keep = (entry: Touched, status: RememberResult["status"]) => {
        touched.set(entry.memory.id, entry);
        nearInBatch.add(encoded, entry.memory.id, entry.memory.vector);
        bySlot.set(`${encoded}\u0000#${entry.memory.contentHash}`, entry.memory.id);
        if (entry.memory.key !== undefined)
          bySlot.set(`${encoded}\u0000k${entry.memory.key}`, entry.memory.id);
        const { vector: _, ...record } = entry.memory;
        results.push({ status, id: record.id, memory: record });
      };

      // A memory created earlier in this batch stays "created" whatever later inputs do to it.
      const keepReplacing = (entry: Touched, memory: StoredMemory, change: "updated" | "merged") =>
        keep({ ...entry, memory, action: entry.action === "created" ? "created" : change }, change);

      // A key names one memory in its namespace: remembering it again replaces that memory.
      if (input.key !== undefined) {
        const seen = bySlot.get(`${encoded}\u0000k${input.key}`);
        const previous = seen
          ? touched.get(seen)!.memory
          : await context.backend.getByKey(encoded, input.key, now);
        if (!previous) {
          keep({ memory: fresh, before: undefined, action: "created" }, "created");
          continue;
        }
        const replacement = sameIdentity(fresh, previous);
        // Remembering a keyed memory again unchanged (a rerun) writes nothing and says so.
        if (!seen && !input.vector && unchanged(replacement, previous)) {
          results.push({ status: "skipped", id: previous.id, memory: previous });
          continue;
        }
        keepReplacing(await current(previous), replacement, "updated");
        continue;
      }

      // An exact duplicate (same content in the namespace) or a near one follows the policy.
      const { dedup } = context;
      if (dedup === false) {
        keep({ memory: fresh, before: undefined, action: "created" }, "created");
        continue;
      }
      const seen = bySlot.get(`${encoded}\u0000#${fresh.contentHash}`);
      const duplicate =
        (seen ? touched.get(seen)!.memory : undefined) ??
        stored.get(`${encoded}\u0000${fresh.contentHash}`) ??
        chooseNearDuplicate(
          fresh.content,
          nearStored[index],
          nearInBatch.nearest(encoded, vector, (id) => touched.get(id)?.memory),
        );
      if (!duplicate) {
        keep({ memory: fresh, before: undefined, action: "created" }, "created");
        continue;
      }
      const entry = await current(duplicate);
      if (dedup.policy === "skip") {
        const { vector: _, ...record } = entry.memory;
        results.push({ status: "skipped", id: record.id, memory: record });
        continue;
      }
      if (dedup.policy === "update") {
        keepReplacing(entry, sameIdentity(fresh, duplicate), "updated");
        continue;
      }
      const merged = mergeDuplicate(entry.memory, fresh, now);
      if (sameSubstance(merged, entry.memory)) {
        const { vector: _, ...record } = entry.memory;
        results.push({ status: "skipped", id: record.id, memory: record });
        continue;
      }
      keepReplacing(entry, merged, "merged");
    }

    if (touched.size === 0) return results;
    await context.bind(vectors[0]!.length);
    const at = new Date(now);
    // Making room is part of the same atomic write, so no reader sees a namespace over capacity.
    const evicted = await evictionsForRemember(context, [...touched.values()], now);
    await context.backend.write([
      ...[...touched.values()].flatMap(({ memory, before, action }): WriteOperation[] => {
        const { vector: _, ...after } = memory;
        return [
          { type: "put", memory, created: action === "created" },
          {
            type: "history",
            entry: {
              memoryId: memory.id,
              namespace: memory.namespace,
              action,
              before,
              after,
              at,
              ...(source ? { source } : {}),
            },
          },
        ];
      }),
      ...deletionWrites(evicted, at),
    ]);
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

interface Touched {
  memory: StoredMemory;
  /** The stored memory before this batch, for history; absent when the batch creates it. */
  before: MemoryRecord | undefined;
  action: "created" | "updated" | "merged";
}

/** Stored memories with the same content as an input, keyed by namespace and content hash. */
async function storedDuplicates(
  context: MemoryContext,
  inputs: readonly ParsedInput[],
  hashes: readonly string[],
  now: number,
): Promise<Map<string, MemoryRecord>> {
  const wanted = new Map<string, Set<string>>();
  inputs.forEach((input, index) => {
    if (input.key !== undefined) return;
    const encoded = encodeNamespace(input.namespace);
    wanted.set(encoded, (wanted.get(encoded) ?? new Set()).add(hashes[index]!));
  });
  const found = new Map<string, MemoryRecord>();
  for (const [encoded, set] of wanted) {
    for (const record of await context.backend.findByContentHash(encoded, [...set], now)) {
      const slot = `${encoded}\u0000${record.contentHash}`;
      if (!found.has(slot)) found.set(slot, record);
    }
  }
  return found;
}

/** For each input that dedup applies to (no key), its nearest stored memory above the threshold. */
async function nearDuplicatesOfInputs(
  context: MemoryContext,
  inputs: readonly ParsedInput[],
  vectors: readonly Float32Array[],
  threshold: number,
  now: number,
): Promise<(NearCandidate | undefined)[]> {
  const probed = inputs.flatMap((input, index) => (input.key === undefined ? [index] : []));
  const found = await storedNearDuplicates(
    context,
    probed.map((index) => ({
      namespace: encodeNamespace(inputs[index]!.namespace),
      vector: vectors[index]!,
    })),
    threshold,
    now,
  );
  const byInput: (NearCandidate | undefined)[] = inputs.map(() => undefined);
  probed.forEach((index, at) => {
    byInput[index] = found[at];
  });
  return byInput;
}

/** The newcomer's fields under the identity (id, key, creation, use) of the memory it replaces. */
function sameIdentity(fresh: StoredMemory, previous: MemoryRecord): StoredMemory {
  return {
    ...fresh,
    id: previous.id,
    key: previous.key,
    createdAt: previous.createdAt,
    lastAccessedAt: previous.lastAccessedAt,
    accessCount: previous.accessCount,
  };
}

/** True when a keyed replacement would change nothing a reader sees. */
function unchanged(replacement: MemoryRecord, previous: MemoryRecord): boolean {
  return (
    replacement.content === previous.content &&
    replacement.kind === previous.kind &&
    sameSubstance(replacement, previous)
  );
}
