import type { NearProbe } from "../backends/backend.js";
import { cloneJson } from "../record/json.js";
import type { JsonObject, MemoryRecord, StoredMemory } from "../record/memory-record.js";
import {
  bandsCover,
  type HammingLimits,
  hammingLimits,
  signatureOf,
  withinDistance,
} from "../retrieval/lsh-signature.js";
import { dot } from "../retrieval/vector-math.js";
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

/** A near-duplicate candidate of one input: the memory and its cosine similarity. */
export interface NearCandidate {
  memory: MemoryRecord;
  score: number;
}

/**
 * For each probe, the stored memory most similar to its vector in exactly its namespace, when
 * at or above the threshold. At thresholds the LSH band index covers (0.948 and up, the default
 * 0.95 included) the backend answers from it; below, each probe scans its namespace exactly.
 */
export async function storedNearDuplicates(
  context: MemoryContext,
  probes: readonly NearProbe[],
  threshold: number,
  now: number,
): Promise<(NearCandidate | undefined)[]> {
  // At 1 only identical content counts, and the content hash finds that.
  if (threshold >= 1 || probes.length === 0 || !(await context.hasVectors()))
    return probes.map(() => undefined);
  if (bandsCover(threshold)) return context.backend.findNearDuplicates(probes, threshold, now);
  return Promise.all(
    probes.map(async (probe) => {
      const [best] = await context.backend.searchVector(
        { scope: { exact: [probe.namespace], prefixes: [] }, filter: {}, now },
        probe.vector,
        1,
      );
      return best && best.score >= threshold ? best : undefined;
    }),
  );
}

/**
 * The memories one `remember` batch writes, by namespace, so an input can be a near duplicate
 * of an earlier input of the same batch. A batch is small, so every signature of the namespace
 * is compared (a few XORs each) and only the close ones get an exact cosine; below the
 * thresholds the signatures cover, every memory gets the cosine.
 */
export class BatchNearDuplicates {
  readonly #written = new Map<string, Map<string, Uint32Array | undefined>>();
  readonly #banded: boolean;
  readonly #limits: HammingLimits;

  constructor(readonly threshold: number) {
    this.#banded = bandsCover(threshold);
    this.#limits = hammingLimits(threshold);
  }

  /** Records (or re-records, after a change) a memory the batch writes. */
  add(namespace: string, id: string, vector: Float32Array): void {
    if (this.threshold >= 1) return;
    let written = this.#written.get(namespace);
    if (!written) {
      written = new Map();
      this.#written.set(namespace, written);
    }
    written.set(id, this.#banded ? signatureOf(vector) : undefined);
  }

  /** The batch's memory most similar to the vector, at or above the threshold. */
  nearest(
    namespace: string,
    vector: Float32Array,
    current: (id: string) => StoredMemory | undefined,
  ): NearCandidate | undefined {
    const written = this.#written.get(namespace);
    if (this.threshold >= 1 || !written) return undefined;
    const signature = this.#banded ? signatureOf(vector) : undefined;
    let best: NearCandidate | undefined;
    for (const [id, other] of written) {
      if (signature && other && !withinDistance(signature, other, this.#limits)) continue;
      const memory = current(id);
      if (!memory || memory.vector.length !== vector.length) continue;
      const score = dot(memory.vector, vector);
      if (score >= this.threshold && (!best || score > best.score)) best = { memory, score };
    }
    return best;
  }
}

/**
 * The better of an input's stored and in-batch near duplicates, if it mentions the same
 * numbers as the input: only the most similar memory is ever considered, as before the index.
 */
export function chooseNearDuplicate(
  content: string,
  ...candidates: (NearCandidate | undefined)[]
): MemoryRecord | undefined {
  let best: NearCandidate | undefined;
  for (const candidate of candidates)
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  return best && sameNumbers(best.memory.content, content) ? best.memory : undefined;
}
