import { EngramError } from "../errors/engram-error.js";
import { contentHash } from "../record/content-hash.js";
import type { Embedder, Vector } from "./embedder.js";
import { Lru } from "./lru.js";

/**
 * Where vectors already computed can be found again (a backend's stored memories), among one
 * tenant's memories only.
 */
export type StoredVectorLookup = (
  model: string,
  hashes: string[],
  tenant: string,
) => Promise<Map<string, Float32Array>>;

export interface EmbeddingPipelineOptions {
  embedder: Embedder;
  /** Dimensions the store is bound to, if it already holds vectors. */
  expectedDimensions?: number | undefined;
  lookup?: StoredVectorLookup;
  cacheSize?: number;
}

/** Embeds through a cache, checks every vector and returns unit-length Float32Arrays. */
export interface EmbeddingPipeline {
  readonly model: string;
  /** Known once the store is bound or the first vector arrived. */
  readonly dimensions: number | undefined;
  /**
   * `tenants[i]` (an encoded tenant: the first namespace segment) scopes text i's cache entry,
   * so whether a text was already embedded never depends on another tenant's writes.
   */
  embedDocuments(
    texts: readonly string[],
    hashes?: readonly string[],
    tenants?: readonly string[],
  ): Promise<Float32Array[]>;
  /** `tenant` scopes the cache entry as for documents. */
  embedQuery(text: string, tenant?: string): Promise<Float32Array>;
}

function toUnitVector(vector: Vector, model: string): Float32Array {
  const out = Float32Array.from(vector as ArrayLike<number>);
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    const value = out[i]!;
    if (!Number.isFinite(value)) {
      throw new EngramError("EMBEDDER_FAILED", `Embedder ${model} returned a non-finite number.`);
    }
    norm += value * value;
  }
  norm = Math.sqrt(norm);
  if (norm === 0)
    throw new EngramError("EMBEDDER_FAILED", `Embedder ${model} returned a zero vector.`);
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

/** Builds the embedding path shared by every write and every recall. */
export function createEmbeddingPipeline(options: EmbeddingPipelineOptions): EmbeddingPipeline {
  const { embedder, lookup } = options;
  const cache = new Lru<string, Float32Array>(options.cacheSize ?? 10_000);
  let dimensions = options.expectedDimensions ?? embedder.dimensions;
  if (
    options.expectedDimensions !== undefined &&
    embedder.dimensions !== undefined &&
    options.expectedDimensions !== embedder.dimensions
  ) {
    throw dimensionMismatch(
      embedder.model,
      options.expectedDimensions,
      embedder.dimensions,
      "the store holds",
    );
  }

  function check(vectors: readonly Vector[], count: number): Float32Array[] {
    if (!Array.isArray(vectors) || vectors.length !== count) {
      throw new EngramError(
        "EMBEDDER_FAILED",
        `Embedder ${embedder.model} returned ${Array.isArray(vectors) ? vectors.length : "no"} vectors for ${count} texts.`,
      );
    }
    // Until the store is bound, the batch's first vector sets the length the rest must have.
    const expected = dimensions ?? vectors[0]?.length;
    return vectors.map((vector) => {
      const length = vector?.length;
      if (typeof length !== "number" || length === 0) {
        throw new EngramError(
          "EMBEDDER_FAILED",
          `Embedder ${embedder.model} returned an empty vector.`,
        );
      }
      if (expected !== undefined && length !== expected) {
        throw dimensionMismatch(embedder.model, expected, length, "expected");
      }
      return toUnitVector(vector, embedder.model);
    });
  }

  async function callEmbedder<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      if (EngramError.isInstance(cause)) throw cause;
      throw new EngramError(
        "EMBEDDER_FAILED",
        `Embedder ${embedder.model} failed: ${String(cause)}`,
        { cause },
      );
    }
  }

  // Dimensions are fixed by the first checked batch, so later batches must match it.
  function fix(vectors: Float32Array[]): Float32Array[] {
    if (dimensions === undefined && vectors[0]) dimensions = vectors[0].length;
    return vectors;
  }

  return {
    model: embedder.model,
    get dimensions() {
      return dimensions;
    },

    async embedDocuments(texts, hashes = texts.map(contentHash), tenants) {
      const out = new Array<Float32Array | undefined>(texts.length);
      // Keyed by tenant and content hash: one tenant's texts never warm another's cache.
      const missing = new Map<string, number[]>();
      const keyOf = (index: number) => `${tenants?.[index] ?? ""}\u0000${hashes[index]!}`;
      texts.forEach((_, index) => {
        const key = keyOf(index);
        const cached = cache.get(key);
        if (cached) out[index] = cached;
        else missing.set(key, [...(missing.get(key) ?? []), index]);
      });
      if (missing.size > 0 && lookup) {
        const byTenant = new Map<string, Set<string>>();
        for (const indices of missing.values()) {
          const tenant = tenants?.[indices[0]!] ?? "";
          byTenant.set(tenant, (byTenant.get(tenant) ?? new Set()).add(hashes[indices[0]!]!));
        }
        for (const [tenant, wanted] of byTenant) {
          const stored = await lookup(embedder.model, [...wanted], tenant);
          for (const [hash, vector] of stored) {
            if (dimensions !== undefined && vector.length !== dimensions) continue;
            const key = `${tenant}\u0000${hash}`;
            cache.set(key, vector);
            for (const index of missing.get(key) ?? []) out[index] = vector;
            missing.delete(key);
          }
        }
      }
      const todo = [...missing.entries()];
      const batch = embedder.maxBatchSize ?? 256;
      for (let start = 0; start < todo.length; start += batch) {
        const slice = todo.slice(start, start + batch);
        const firstIndex = (entry: [string, number[]]) => entry[1][0]!;
        const vectors = fix(
          check(
            await callEmbedder(() =>
              embedder.embed(slice.map((entry) => texts[firstIndex(entry)]!)),
            ),
            slice.length,
          ),
        );
        slice.forEach(([key, indices], i) => {
          cache.set(key, vectors[i]!);
          for (const index of indices) out[index] = vectors[i]!;
        });
      }
      return out as Float32Array[];
    },

    async embedQuery(text, tenant = "") {
      // Without a separate query path a query vector is a document vector: share the entry.
      const hash = contentHash(text);
      const key = embedder.embedQuery ? `query:${tenant}\u0000${hash}` : `${tenant}\u0000${hash}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const query = embedder.embedQuery;
      const raw = query
        ? [await callEmbedder(() => query.call(embedder, text))]
        : await callEmbedder(() => embedder.embed([text]));
      const [vector] = fix(check(raw, 1));
      cache.set(key, vector!);
      return vector!;
    },
  };
}

function dimensionMismatch(
  model: string,
  expected: number,
  actual: number,
  what: string,
): EngramError {
  return new EngramError(
    "DIMENSION_MISMATCH",
    `Embedder ${model} produced ${actual}-dimensional vectors, but ${what} ${expected} dimensions. ` +
      "Use the embedder the store was created with, or a new store.",
    { details: { expected, actual, model } },
  );
}
