import { encodeNamespace } from "../namespace/namespace.js";
import { cloneJson } from "../record/json.js";
import type { JsonObject, MemoryRecord, StoredMemory } from "../record/memory-record.js";
import type { MemoryContext } from "./context.js";

/** What `remember` does with a memory that duplicates one already in its namespace. */
export type DuplicatePolicy = "skip" | "merge" | "update";

export interface DedupOptions {
  /** `"merge"` (default) keeps one memory and combines metadata and tags into it. */
  policy?: DuplicatePolicy;
  /**
   * Cosine similarity at or above which a memory counts as a near duplicate; default 0.95.
   * 1 limits dedup to exact duplicates (same content), which are always caught.
   */
  threshold?: number;
}

/** The fields a duplicate contributes when merged into the memory it duplicates. */
export interface MergeInput {
  metadata: JsonObject;
  tags: readonly string[];
  importance: number;
  pinned: boolean;
  expiresAt: Date | undefined;
}

/**
 * Combines a duplicate into the memory it duplicates: metadata (the newcomer wins per key),
 * the union of tags, the higher importance, pinned if either is, and the later expiry (none
 * beats any). Content, key and vector stay the existing memory's.
 */
export function mergeDuplicate(
  existing: StoredMemory,
  input: MergeInput,
  now: number,
): StoredMemory {
  const expiresAt =
    existing.expiresAt === undefined || input.expiresAt === undefined
      ? undefined
      : new Date(Math.max(existing.expiresAt.getTime(), input.expiresAt.getTime()));
  return {
    ...existing,
    metadata: { ...existing.metadata, ...cloneJson(input.metadata) },
    tags: [...new Set([...existing.tags, ...input.tags])],
    importance: Math.max(existing.importance, input.importance),
    pinned: existing.pinned || input.pinned,
    expiresAt,
    updatedAt: new Date(now),
  };
}

/** True when a merge changed nothing a reader would see. */
export function sameSubstance(a: MemoryRecord, b: MemoryRecord): boolean {
  return (
    JSON.stringify([a.metadata, a.tags, a.importance, a.pinned, a.expiresAt?.getTime()]) ===
    JSON.stringify([b.metadata, b.tags, b.importance, b.pinned, b.expiresAt?.getTime()])
  );
}

/** The numbers in a text, in order of size, for comparing two texts' numbers as a multiset. */
function numbersOf(text: string): string[] {
  return (text.match(/\d+(?:[.,:]\d+)*/g) ?? []).sort();
}

/**
 * True when two texts mention the same numbers. Sentence encoders barely see digits (the
 * offline encoder scores "Alice's phone number is 555-1234" against "... 555-9876" at 0.99), so
 * texts that differ in a number are never near duplicates, however close their vectors.
 */
export function sameNumbers(a: string, b: string): boolean {
  const left = numbersOf(a);
  const right = numbersOf(b);
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** The stored memory most similar to `vector` in exactly this namespace, if similar enough. */
export async function findNearDuplicate(
  context: MemoryContext,
  namespace: readonly string[],
  content: string,
  vector: Float32Array,
  threshold: number,
  now: number,
): Promise<MemoryRecord | undefined> {
  // At 1 only identical content counts, and the content hash has already found that.
  if (threshold >= 1 || !(await context.hasVectors())) return undefined;
  const [best] = await context.backend.searchVector(
    { scope: { exact: [encodeNamespace(namespace)], prefixes: [] }, filter: {}, now },
    vector,
    1,
  );
  return best && best.score >= threshold && sameNumbers(best.memory.content, content)
    ? best.memory
    : undefined;
}
