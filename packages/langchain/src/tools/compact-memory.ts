import type { MemoryRecord, RecalledMemory } from "@engram/core";

/** A memory as a model sees it: what it says and how to refer to it, nothing internal. */
export interface CompactMemory {
  id: string;
  content: string;
  kind: string;
  /** Relevance in [0, 1], three decimals; search results only. */
  score?: number;
}

/** Drops hashes, vectors, counters and timestamps, which cost tokens and mean nothing to a model. */
export function toCompactMemory(memory: MemoryRecord | RecalledMemory): CompactMemory {
  const compact: CompactMemory = { id: memory.id, content: memory.content, kind: memory.kind };
  if ("score" in memory && typeof memory.score === "number") {
    compact.score = Math.round(memory.score * 1000) / 1000;
  }
  return compact;
}
