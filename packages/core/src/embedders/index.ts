export type { Embedder, Vector } from "./embedder.js";
export { createEmbeddingPipeline, type EmbeddingPipeline } from "./embedding-pipeline.js";
export { type EmbeddingModelLike, fromEmbeddingModel } from "./from-embedding-model.js";
export {
  fromLangChainEmbeddings,
  type LangChainEmbeddingsLike,
} from "./from-langchain-embeddings.js";
export { type EmbedderSource, toEmbedder } from "./to-embedder.js";
export {
  type UniversalSentenceEncoder,
  universalSentenceEncoder,
} from "./universal-sentence-encoder.js";
