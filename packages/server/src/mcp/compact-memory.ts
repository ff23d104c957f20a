import type { JsonObject } from "@engram/core";
import type { MemoryJson } from "../tenancy/memory-json.js";

/**
 * A memory as a tool hands it to a model: what it says and where it lives, without the
 * bookkeeping (content hash, embedding model, access counters) a model cannot use. Fields at
 * their defaults are left out: no key, no tags, empty metadata, importance 0.5, not pinned.
 */
export interface CompactMemory {
  id: string;
  namespace: string[];
  content: string;
  kind: string;
  key?: string;
  tags?: string[];
  metadata?: JsonObject;
  importance?: number;
  pinned?: true;
  score?: number;
  /** When what it records happened, given only when that is not when it was last written. */
  createdAt?: string;
  updatedAt?: string;
  expiresAt?: string;
}

const DEFAULT_IMPORTANCE = 0.5;

/**
 * The compact form of a memory; `times: false` leaves out `updatedAt` (recall ranks by score).
 * `createdAt` is given whenever it differs from `updatedAt` (a dated or an edited memory), so a
 * model can answer when something happened.
 */
export function compactMemory(
  memory: MemoryJson,
  { times = true }: { times?: boolean } = {},
): CompactMemory {
  const compact: CompactMemory = {
    id: memory.id,
    namespace: memory.namespace,
    content: memory.content,
    kind: memory.kind,
  };
  if (memory.key !== null) compact.key = memory.key;
  if (memory.tags.length > 0) compact.tags = memory.tags;
  if (Object.keys(memory.metadata).length > 0) compact.metadata = memory.metadata;
  if (memory.importance !== DEFAULT_IMPORTANCE) compact.importance = memory.importance;
  if (memory.pinned) compact.pinned = true;
  if (memory.score !== undefined) compact.score = Math.round(memory.score * 1000) / 1000;
  if (memory.createdAt !== memory.updatedAt) compact.createdAt = memory.createdAt;
  if (times) compact.updatedAt = memory.updatedAt;
  if (memory.expiresAt !== null) compact.expiresAt = memory.expiresAt;
  return compact;
}

/**
 * What `remember` did, compactly: the status and where the memory is. The content comes back
 * only when it is not what the model just sent (a merge, or a near duplicate that was kept).
 */
export function compactRemembered(result: {
  status: "created" | "updated" | "merged" | "skipped";
  id: string;
  memory: MemoryJson;
}): { status: string; id: string; namespace: string[]; key?: string; content?: string } {
  const { status, id, memory } = result;
  return {
    status,
    id,
    namespace: memory.namespace,
    ...(memory.key === null ? {} : { key: memory.key }),
    ...(status === "merged" || status === "skipped" ? { content: memory.content } : {}),
  };
}
