import type { Embedder, Vector } from "./embedder.js";

/**
 * The structural shape of an AI SDK `EmbeddingModel` (specification v2, v3 or v4), so core
 * needs no dependency on the AI SDK.
 */
export interface EmbeddingModelLike {
  readonly specificationVersion: "v2" | "v3" | "v4";
  readonly provider: string;
  readonly modelId: string;
  readonly maxEmbeddingsPerCall: PromiseLike<number | undefined> | number | undefined;
  doEmbed(options: {
    values: string[];
    abortSignal?: AbortSignal;
  }): PromiseLike<{ embeddings: Vector[] }>;
}

/** True when `value` looks like an AI SDK embedding model. */
export function isEmbeddingModel(value: unknown): value is EmbeddingModelLike {
  const candidate = value as Partial<EmbeddingModelLike> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    ["v2", "v3", "v4"].includes(candidate.specificationVersion as string) &&
    typeof candidate.doEmbed === "function"
  );
}

/** Adapts an AI SDK `EmbeddingModel` (v2, v3 or v4) to an `Embedder`. */
export function fromEmbeddingModel(
  model: EmbeddingModelLike,
  options: { dimensions?: number } = {},
): Embedder {
  let maxBatchSize: number | undefined;
  let resolved = false;
  return {
    model: `${model.provider}:${model.modelId}`,
    dimensions: options.dimensions,
    get maxBatchSize() {
      return maxBatchSize;
    },
    async embed(texts, callOptions) {
      if (!resolved) {
        const limit = await model.maxEmbeddingsPerCall;
        maxBatchSize = limit !== undefined && Number.isFinite(limit) ? limit : undefined;
        resolved = true;
      }
      const out: Vector[] = [];
      const size = maxBatchSize ?? texts.length;
      for (let start = 0; start < texts.length; start += size) {
        const values = texts.slice(start, start + size);
        const result = await model.doEmbed(
          callOptions?.signal ? { values, abortSignal: callOptions.signal } : { values },
        );
        out.push(...result.embeddings);
      }
      return out;
    },
  };
}
