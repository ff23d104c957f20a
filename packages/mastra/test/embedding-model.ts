import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { createTestEmbedder } from "@engram/core/testing";

/**
 * A deterministic AI SDK embedding model (spec v3) for tests: Engram's hashed bag-of-words
 * test embedder behind the interface Mastra's `Memory` takes as `embedder`.
 */
export function testEmbeddingModel(dimensions = 64): EmbeddingModelV3 {
  const embedder = createTestEmbedder({ dimensions });
  return {
    specificationVersion: "v3",
    provider: "engram-test",
    modelId: "hashed-words",
    maxEmbeddingsPerCall: 256,
    supportsParallelCalls: true,
    async doEmbed({ values }) {
      const vectors = await embedder.embed(values);
      return {
        embeddings: vectors.map((vector) => Array.from(vector as ArrayLike<number>)),
        warnings: [],
      };
    },
  };
}
