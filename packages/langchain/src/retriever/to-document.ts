import type { JsonObject, Namespace, RecalledMemory, ScoreExplanation } from "@engram/core";
import { Document } from "@langchain/core/documents";

/** What `EngramRetriever` puts in each `Document.metadata`. */
export interface MemoryDocumentMetadata {
  /** The memory's id: pass it to `memory.get`, `update` or `forget`. */
  id: string;
  namespace: Namespace;
  kind: string;
  tags: string[];
  /** Relevance in [0, 1], higher is better. */
  score: number;
  key?: string;
  importance: number;
  pinned: boolean;
  /** ISO-8601. */
  createdAt: string;
  /** ISO-8601. */
  updatedAt: string;
  /** The memory's own metadata, as remembered. */
  metadata: JsonObject;
  /** The score's components, when the retriever was built with `explain: true`. */
  explanation?: ScoreExplanation;
}

/** One recalled memory as a LangChain `Document`: its content, and where it came from. */
export function toDocument(memory: RecalledMemory): Document<MemoryDocumentMetadata> {
  const metadata: MemoryDocumentMetadata = {
    id: memory.id,
    namespace: memory.namespace,
    kind: memory.kind,
    tags: [...memory.tags],
    score: memory.score,
    ...(memory.key === undefined ? {} : { key: memory.key }),
    importance: memory.importance,
    pinned: memory.pinned,
    createdAt: memory.createdAt.toISOString(),
    updatedAt: memory.updatedAt.toISOString(),
    metadata: memory.metadata,
    ...(memory.explain ? { explanation: memory.explain } : {}),
  };
  return new Document({ pageContent: memory.content, metadata, id: memory.id });
}
