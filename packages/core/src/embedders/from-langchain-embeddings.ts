import type { Embedder, Vector } from "./embedder.js";

/** The structural shape of a LangChain `Embeddings` object. */
export interface LangChainEmbeddingsLike {
  embedDocuments(documents: string[]): Promise<Vector[]>;
  embedQuery(document: string): Promise<Vector>;
  /** LangChain embeddings usually carry one of these; used to name the model. */
  model?: string;
  modelName?: string;
}

/** True when `value` looks like a LangChain `Embeddings` object. */
export function isLangChainEmbeddings(value: unknown): value is LangChainEmbeddingsLike {
  const candidate = value as Partial<LangChainEmbeddingsLike> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.embedDocuments === "function" &&
    typeof candidate.embedQuery === "function"
  );
}

/**
 * Adapts a LangChain `Embeddings` object to an `Embedder`. Queries go through `embedQuery`,
 * documents through `embedDocuments`. Pass `model` when the object does not name its model.
 */
export function fromLangChainEmbeddings(
  embeddings: LangChainEmbeddingsLike,
  options: { model?: string; dimensions?: number } = {},
): Embedder {
  const name =
    options.model ?? embeddings.model ?? embeddings.modelName ?? embeddings.constructor?.name;
  return {
    model: `langchain:${name ?? "embeddings"}`,
    dimensions: options.dimensions,
    embed: (texts) => embeddings.embedDocuments([...texts]),
    embedQuery: (text) => embeddings.embedQuery(text),
  };
}
