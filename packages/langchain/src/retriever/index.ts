export { EngramRetriever, type EngramRetrieverOptions } from "./engram-retriever.js";
export type { MemoryDocumentMetadata } from "./to-document.js";
