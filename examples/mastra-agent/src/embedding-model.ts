import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { Embedder } from "@engram/core";

/**
 * An Engram embedder as the AI SDK embedding model Mastra's `Memory` takes, so Mastra and
 * Engram embed with the very same model (here the offline Universal Sentence Encoder).
 */
export function asEmbeddingModel(embedder: Embedder): EmbeddingModelV3 {
  return {
    specificationVersion: "v3",
    provider: "engram",
    modelId: embedder.model,
    maxEmbeddingsPerCall: embedder.maxBatchSize ?? 256,
    supportsParallelCalls: false,
    async doEmbed({ values }) {
      const vectors = await embedder.embed(values);
      return { embeddings: vectors.map((vector) => Array.from(vector)), warnings: [] };
    },
  };
}
