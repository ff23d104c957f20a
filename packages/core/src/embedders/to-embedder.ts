import { EngramError } from "../errors/engram-error.js";
import type { Embedder } from "./embedder.js";
import {
  type EmbeddingModelLike,
  fromEmbeddingModel,
  isEmbeddingModel,
} from "./from-embedding-model.js";
import {
  fromLangChainEmbeddings,
  isLangChainEmbeddings,
  type LangChainEmbeddingsLike,
} from "./from-langchain-embeddings.js";

/** Anything Engram can embed with: its own `Embedder`, an AI SDK model or LangChain embeddings. */
export type EmbedderSource = Embedder | EmbeddingModelLike | LangChainEmbeddingsLike;

function isEmbedder(value: unknown): value is Embedder {
  const candidate = value as Partial<Embedder> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.model === "string" &&
    typeof candidate.embed === "function"
  );
}

/** Recognises the embedding source a user already has and adapts it. */
export function toEmbedder(source: EmbedderSource): Embedder {
  if (isEmbeddingModel(source)) return fromEmbeddingModel(source);
  if (isEmbedder(source)) return source;
  if (isLangChainEmbeddings(source)) return fromLangChainEmbeddings(source);
  throw new EngramError(
    "INVALID_ARGUMENT",
    "`embedder` must be an Engram Embedder, an AI SDK EmbeddingModel or a LangChain Embeddings object.",
  );
}
