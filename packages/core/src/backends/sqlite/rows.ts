import { decodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord, StoredMemory } from "../../record/memory-record.js";
import type { SqlValue } from "./where.js";

/** A `memories` row as node:sqlite returns it. */
export interface MemoryRow {
  rid: number;
  id: string;
  namespace: string;
  content: string;
  kind: string;
  mkey: string | null;
  metadata: string;
  tags: string;
  importance: number;
  pinned: number;
  created_at: number;
  updated_at: number;
  last_accessed_at: number | null;
  access_count: number;
  expires_at: number | null;
  content_hash: string;
  embedding_model: string;
  dimensions: number;
}

/** Every column but the vector, which only search reads. */
export const RECORD_COLUMNS =
  "m.rid, m.id, m.namespace, m.content, m.kind, m.mkey, m.metadata, m.tags, m.importance, m.pinned, " +
  "m.created_at, m.updated_at, m.last_accessed_at, m.access_count, m.expires_at, m.content_hash, " +
  "m.embedding_model, m.dimensions";

const optionalDate = (millis: number | null) => (millis === null ? undefined : new Date(millis));

export function rowToRecord(row: MemoryRow): MemoryRecord {
  return {
    id: row.id,
    namespace: decodeNamespace(row.namespace),
    content: row.content,
    kind: row.kind,
    key: row.mkey ?? undefined,
    metadata: JSON.parse(row.metadata),
    tags: JSON.parse(row.tags),
    importance: row.importance,
    pinned: row.pinned === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    lastAccessedAt: optionalDate(row.last_accessed_at),
    accessCount: row.access_count,
    expiresAt: optionalDate(row.expires_at),
    contentHash: row.content_hash,
    embedding: { model: row.embedding_model, dimensions: row.dimensions },
  };
}

/** Column values for an upsert, in `UPSERT_SQL` order. */
export function recordToParams(memory: StoredMemory, encodedNamespace: string): SqlValue[] {
  return [
    memory.id,
    encodedNamespace,
    memory.content,
    memory.kind,
    memory.key ?? null,
    JSON.stringify(memory.metadata),
    JSON.stringify(memory.tags),
    memory.importance,
    memory.pinned ? 1 : 0,
    memory.createdAt.getTime(),
    memory.updatedAt.getTime(),
    memory.lastAccessedAt?.getTime() ?? null,
    memory.accessCount,
    memory.expiresAt?.getTime() ?? null,
    memory.contentHash,
    memory.embedding.model,
    memory.embedding.dimensions,
  ];
}

export const UPSERT_SQL = `
INSERT INTO memories (id, namespace, content, kind, mkey, metadata, tags, importance, pinned,
  created_at, updated_at, last_accessed_at, access_count, expires_at, content_hash,
  embedding_model, dimensions)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  content = excluded.content, kind = excluded.kind, mkey = excluded.mkey,
  metadata = excluded.metadata, tags = excluded.tags, importance = excluded.importance,
  pinned = excluded.pinned, updated_at = excluded.updated_at,
  last_accessed_at = excluded.last_accessed_at, access_count = excluded.access_count,
  expires_at = excluded.expires_at, content_hash = excluded.content_hash,
  embedding_model = excluded.embedding_model, dimensions = excluded.dimensions
RETURNING rid`;

export const VECTOR_UPSERT_SQL =
  "INSERT OR REPLACE INTO memory_vectors (rid, embedding) VALUES (?, ?)";
