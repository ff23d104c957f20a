import { EngramError } from "../errors/engram-error.js";
import type { EmbeddingSpace } from "./backend.js";

/** Throws when a store bound to `bound` is asked to take vectors from `space`. */
export function assertSameSpace(bound: EmbeddingSpace, space: EmbeddingSpace, where: string): void {
  if (bound.dimensions !== space.dimensions) {
    throw new EngramError(
      "DIMENSION_MISMATCH",
      `${where} holds ${bound.dimensions}-dimensional vectors from ${bound.model}; ` +
        `the embedder ${space.model} makes ${space.dimensions}. Use the original embedder or a new store.`,
      { details: { expected: bound.dimensions, actual: space.dimensions, model: space.model } },
    );
  }
  if (bound.model !== space.model) {
    throw new EngramError(
      "EMBEDDER_MISMATCH",
      `${where} holds vectors from ${bound.model}; the embedder is ${space.model}. ` +
        "Vectors from different models are not comparable: use the original embedder or a new store.",
      { details: { expected: bound.model, actual: space.model } },
    );
  }
}
