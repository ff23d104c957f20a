import type { JsonObject, MemoryEvent, MemoryRecord, RecalledMemory } from "@engram/core";
import type { Principal } from "./principal.js";
import { relativeNamespace } from "./resolve-namespace.js";

/** A memory as the API returns it: dates as ISO strings, the namespace relative to the caller's root. */
export interface MemoryJson {
  id: string;
  namespace: string[];
  content: string;
  kind: string;
  key: string | null;
  metadata: JsonObject;
  tags: string[];
  importance: number;
  pinned: boolean;
  createdAt: string;
  updatedAt: string;
  lastAccessedAt: string | null;
  accessCount: number;
  expiresAt: string | null;
  contentHash: string;
  embedding: { model: string; dimensions: number };
  score?: number;
  explain?: Record<string, number>;
}

/** A change event as the API returns it. */
export interface MemoryEventJson {
  id: string;
  type: "created" | "updated" | "deleted";
  memoryId: string;
  namespace: string[];
  kind: string;
  at: string;
}

/** Converts a record to its API form for this caller. */
export function toMemoryJson(
  principal: Principal,
  record: MemoryRecord | RecalledMemory,
): MemoryJson {
  const json: MemoryJson = {
    id: record.id,
    namespace: relativeNamespace(principal, record.namespace),
    content: record.content,
    kind: record.kind,
    key: record.key ?? null,
    metadata: record.metadata,
    tags: record.tags,
    importance: record.importance,
    pinned: record.pinned,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    lastAccessedAt: record.lastAccessedAt?.toISOString() ?? null,
    accessCount: record.accessCount,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    contentHash: record.contentHash,
    embedding: record.embedding,
  };
  if ("score" in record) json.score = record.score;
  if ("explain" in record && record.explain) json.explain = { ...record.explain };
  return json;
}

/** Converts a change event to its API form for this caller. */
export function toEventJson(principal: Principal, event: MemoryEvent): MemoryEventJson {
  return {
    id: event.id,
    type: event.type,
    memoryId: event.memoryId,
    namespace: relativeNamespace(principal, event.namespace),
    kind: event.kind,
    at: event.at.toISOString(),
  };
}
