import { encodeNamespace } from "../namespace/namespace.js";
import type { ScoredMemory, SearchCandidate } from "./backend.js";

/** A search hit with its whole record as a candidate. */
export function toCandidate({ memory, score }: ScoredMemory): SearchCandidate {
  return {
    id: memory.id,
    score,
    namespace: encodeNamespace(memory.namespace),
    createdAt: memory.createdAt.getTime(),
    updatedAt: memory.updatedAt.getTime(),
    importance: memory.importance,
    pinned: memory.pinned,
    accessCount: memory.accessCount,
    contentHash: memory.contentHash,
    memory,
  };
}
