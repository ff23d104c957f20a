import { z } from "zod";
import type { WriteOperation } from "../backends/backend.js";
import { tenantIn } from "../backends/backend-tenant.js";
import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace, type Namespace, validateNamespace } from "../namespace/namespace.js";
import { contentHash } from "../record/content-hash.js";
import { createId } from "../record/ids.js";
import { cloneJson } from "../record/json.js";
import type { JsonObject, MemoryRecord, StoredMemory } from "../record/memory-record.js";
import { filterFields, MAX_TAGS, metadataSchema, parseInput } from "../record/schemas.js";
import { dot } from "../retrieval/vector-math.js";
import type { MemoryContext } from "./context.js";
import { liveMemories } from "./retention.js";
import type { MemoryFilter } from "./types.js";

/** Writes the one text that replaces a group of related memories, given oldest first. */
export type Summarize = (memories: MemoryRecord[]) => string | Promise<string>;

export interface ConsolidateOptions extends MemoryFilter {
  /**
   * Turns a group into one text, for example with an AI SDK `generateText` call. Defaults to
   * joining the group's contents, oldest first, which needs no model.
   */
  summarize?: Summarize;
  /** Cosine similarity to a group's oldest memory at or above which a memory joins it; 0.8. */
  threshold?: number;
  /** Smallest group worth replacing; 2. */
  minGroupSize?: number;
  /** Largest group handed to `summarize` at once; 20. */
  maxGroupSize?: number;
}

/** One group replaced by one memory. */
export interface Consolidation {
  /** The new memory. */
  memory: MemoryRecord;
  /** The ids it replaced, oldest first; `history(memory.id)` keeps what each said. */
  sources: string[];
}

const optionsSchema = z.strictObject({
  ...filterFields,
  summarize: z.custom<Summarize>((value) => typeof value === "function").optional(),
  threshold: z.number().gt(0).max(1).default(0.8),
  minGroupSize: z.number().int().min(2).default(2),
  maxGroupSize: z.number().int().min(2).max(1000).default(20),
});

const joinContents: Summarize = (memories) => memories.map((memory) => memory.content).join("\n");

/**
 * Replaces each group of related memories in one namespace with a single memory written by
 * `summarize`. Pinned and keyed memories stay as they are; groups never mix kinds. All groups
 * are summarized first and written in one atomic step: if `summarize` throws, nothing changes;
 * a group whose memories changed while it was being summarized is left for the next run.
 */
export async function consolidate(
  context: MemoryContext,
  rawNamespace: Namespace,
  raw: ConsolidateOptions = {},
): Promise<Consolidation[]> {
  const namespace = validateNamespace(rawNamespace);
  const options = parseInput(optionsSchema, raw, "consolidate options");
  if (options.minGroupSize > options.maxGroupSize) {
    throw new EngramError("INVALID_ARGUMENT", "minGroupSize is larger than maxGroupSize.", {
      details: { issues: [{ path: ["minGroupSize"], message: "larger than maxGroupSize" }] },
    });
  }
  const summarize = options.summarize ?? joinContents;
  await context.ready();
  const { summarize: _, threshold, minGroupSize, maxGroupSize, ...filter } = options;
  const read = context.now();
  const ids = await context.backend.selectIds({
    scope: { exact: [encodeNamespace(namespace)], prefixes: [] },
    filter,
    now: read,
  });
  const candidates = (await liveMemories(context, ids, read))
    .filter((memory) => !memory.pinned && memory.key === undefined)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  if (candidates.length < minGroupSize) return [];

  const pipeline = await context.embeddings();
  const vectors = await pipeline.embedDocuments(
    candidates.map((memory) => memory.content),
    candidates.map((memory) => memory.contentHash),
    candidates.map(() => tenantIn(context.backend, namespace)),
  );
  const groups = groupRelated(candidates, vectors, threshold, maxGroupSize).filter(
    (group) => group.length >= minGroupSize,
  );
  if (groups.length === 0) return [];

  // Summaries may take a model call each, so they run outside the write queue; the write
  // below then skips any group whose sources changed meanwhile.
  const texts: string[] = [];
  for (const group of groups) texts.push(checkSummary(context, await summarize(group)));
  const hashes = texts.map((text) => contentHash(text));
  const summaryVectors = await pipeline.embedDocuments(
    texts,
    hashes,
    texts.map(() => tenantIn(context.backend, namespace)),
  );

  return context.serialize(async () => {
    const now = context.now();
    const at = new Date(now);
    const writes: WriteOperation[] = [];
    const results: Consolidation[] = [];
    for (const [index, group] of groups.entries()) {
      if (!(await unchanged(context, group, now))) continue;
      const memory = combine(group, {
        content: texts[index]!,
        hash: hashes[index]!,
        vector: summaryVectors[index]!,
        model: pipeline.model,
        now,
      });
      const { vector: __, ...after } = memory;
      writes.push(
        { type: "put", memory, created: true },
        {
          type: "history",
          entry: {
            memoryId: memory.id,
            namespace,
            action: "created",
            before: undefined,
            after,
            at,
          },
        },
      );
      for (const source of group) {
        writes.push(
          {
            type: "history",
            entry: { memoryId: memory.id, namespace, action: "merged", before: source, after, at },
          },
          { type: "delete", id: source.id },
          {
            type: "history",
            entry: {
              memoryId: source.id,
              namespace,
              action: "deleted",
              before: source,
              after: undefined,
              at,
            },
          },
        );
      }
      results.push({ memory: after, sources: group.map((source) => source.id) });
    }
    if (writes.length > 0) await context.backend.write(writes);
    return results;
  });
}

/** True when every memory of the group is still live and as it was read. */
async function unchanged(
  context: MemoryContext,
  group: readonly MemoryRecord[],
  now: number,
): Promise<boolean> {
  const current = await context.backend.get(
    group.map((memory) => memory.id),
    now,
  );
  return current.every(
    (memory, index) =>
      memory !== undefined && memory.updatedAt.getTime() === group[index]!.updatedAt.getTime(),
  );
}

/**
 * Leader clustering: the oldest ungrouped memory starts a group, and every later ungrouped
 * memory of its kind that is similar enough to it joins, up to the size limit.
 */
function groupRelated(
  memories: readonly MemoryRecord[],
  vectors: readonly Float32Array[],
  threshold: number,
  maxGroupSize: number,
): MemoryRecord[][] {
  const grouped = new Uint8Array(memories.length);
  const groups: MemoryRecord[][] = [];
  for (let leader = 0; leader < memories.length; leader++) {
    if (grouped[leader]) continue;
    grouped[leader] = 1;
    const group = [memories[leader]!];
    for (let other = leader + 1; other < memories.length && group.length < maxGroupSize; other++) {
      if (grouped[other] || memories[other]!.kind !== memories[leader]!.kind) continue;
      if (dot(vectors[leader]!, vectors[other]!) >= threshold) {
        grouped[other] = 1;
        group.push(memories[other]!);
      }
    }
    groups.push(group);
  }
  return groups;
}

function checkSummary(context: MemoryContext, text: unknown): string {
  if (typeof text !== "string" || text.trim().length === 0) {
    throw new EngramError("INVALID_ARGUMENT", "summarize returned no text; nothing was changed.");
  }
  if (text.length > context.limits.contentLength) {
    throw new EngramError(
      "CONTENT_TOO_LARGE",
      `summarize returned ${text.length} characters; the limit is ${context.limits.contentLength}. Nothing was changed.`,
      { details: { length: text.length, limit: context.limits.contentLength } },
    );
  }
  return text;
}

/**
 * The memory that replaces a group: its kind, the union of tags (newest first), metadata
 * merged oldest to newest, the highest importance, the group's use, and the latest expiry.
 */
function combine(
  group: readonly MemoryRecord[],
  summary: { content: string; hash: string; vector: Float32Array; model: string; now: number },
): StoredMemory {
  const { content, hash, vector, model, now } = summary;
  const metadata: JsonObject = {};
  for (const source of group) Object.assign(metadata, cloneJson(source.metadata));
  if (!metadataSchema.safeParse(metadata).success) {
    throw new EngramError(
      "CONTENT_TOO_LARGE",
      "The group's combined metadata is over the metadata limit; nothing was changed.",
    );
  }
  const expiries = group.map((source) => source.expiresAt?.getTime());
  const lastAccess = Math.max(...group.map((source) => source.lastAccessedAt?.getTime() ?? 0));
  return {
    id: createId(now),
    namespace: group[0]!.namespace,
    content,
    kind: group[0]!.kind,
    key: undefined,
    metadata,
    tags: [...new Set(group.toReversed().flatMap((source) => source.tags))].slice(0, MAX_TAGS),
    importance: Math.max(...group.map((source) => source.importance)),
    pinned: false,
    createdAt: new Date(now),
    updatedAt: new Date(now),
    lastAccessedAt: lastAccess > 0 ? new Date(lastAccess) : undefined,
    accessCount: group.reduce((sum, source) => sum + source.accessCount, 0),
    expiresAt: expiries.some((at) => at === undefined)
      ? undefined
      : new Date(Math.max(...(expiries as number[]))),
    contentHash: hash,
    embedding: { model, dimensions: vector.length },
    vector,
  };
}
