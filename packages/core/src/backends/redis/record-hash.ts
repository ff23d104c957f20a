import { decodeNamespace, encodedAncestors, encodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord, StoredMemory } from "../../record/memory-record.js";
import { bytesToVector, vectorToBytes } from "../../retrieval/vector-math.js";

/** The hash fields of a record, in the order `hashToRecord` reads them. */
export const RECORD_FIELDS = [
  "id",
  "namespace",
  "content",
  "kind",
  "key",
  "metadata",
  "tags",
  "importance",
  "pinned",
  "createdAt",
  "updatedAt",
  "lastAccessedAt",
  "accessCount",
  "expiresAt",
  "contentHash",
  "model",
  "dimensions",
] as const;

/** Field/value pairs for HSET (after a DEL, so no field of an older version survives). */
export function recordToHash(memory: StoredMemory): (string | Buffer)[] {
  const values: Record<(typeof RECORD_FIELDS)[number], string> = {
    id: memory.id,
    namespace: encodeNamespace(memory.namespace),
    content: memory.content,
    kind: memory.kind,
    key: memory.key ?? "",
    metadata: JSON.stringify(memory.metadata),
    tags: JSON.stringify(memory.tags),
    importance: String(memory.importance),
    pinned: memory.pinned ? "1" : "0",
    createdAt: String(memory.createdAt.getTime()),
    updatedAt: String(memory.updatedAt.getTime()),
    lastAccessedAt: memory.lastAccessedAt ? String(memory.lastAccessedAt.getTime()) : "",
    accessCount: String(memory.accessCount),
    expiresAt: memory.expiresAt ? String(memory.expiresAt.getTime()) : "",
    contentHash: memory.contentHash,
    model: memory.embedding.model,
    dimensions: String(memory.embedding.dimensions),
  };
  const out: (string | Buffer)[] = [];
  // Absent optional fields are left out, not stored empty: RediSearch would refuse to index
  // a hash whose NUMERIC field (expiresAt) holds an empty string.
  for (const field of RECORD_FIELDS) if (values[field] !== "") out.push(field, values[field]);
  // Only for the search index (TAG fields, comma-separated; neither encoded namespaces nor
  // tags can hold a comma). Written in both modes, so a store moves between modes as it is.
  out.push("ancestors", encodedAncestors(memory.namespace).join(","));
  if (memory.tags.length > 0) out.push("tagset", memory.tags.join(","));
  const bytes = vectorToBytes(memory.vector);
  out.push("vector", Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return out;
}

const text = (value: Buffer | string | null | undefined) => (value == null ? "" : value.toString());
const optionalDate = (value: string) => (value === "" ? undefined : new Date(Number(value)));

/** A record from HMGET of RECORD_FIELDS (then `vector`); `undefined` if the hash is gone. */
export function hashToRecord(
  values: readonly (Buffer | string | null)[],
): MemoryRecord | undefined {
  const [
    id,
    namespace,
    content,
    kind,
    key,
    metadata,
    tags,
    importance,
    pinned,
    createdAt,
    updatedAt,
    lastAccessedAt,
    accessCount,
    expiresAt,
    contentHash,
    model,
    dimensions,
  ] = values.map(text);
  if (!id) return undefined;
  return {
    id,
    namespace: decodeNamespace(namespace!),
    content: content!,
    kind: kind!,
    key: key === "" ? undefined : key,
    metadata: JSON.parse(metadata!),
    tags: JSON.parse(tags!),
    importance: Number(importance),
    pinned: pinned === "1",
    createdAt: new Date(Number(createdAt)),
    updatedAt: new Date(Number(updatedAt)),
    lastAccessedAt: optionalDate(lastAccessedAt!),
    accessCount: Number(accessCount),
    expiresAt: optionalDate(expiresAt!),
    contentHash: contentHash!,
    embedding: { model: model!, dimensions: Number(dimensions) },
  };
}

/** The vector from the field after RECORD_FIELDS in an HMGET reply. */
export function hashToVector(value: Buffer | string | null | undefined): Float32Array | undefined {
  return Buffer.isBuffer(value) && value.length > 0 ? bytesToVector(value) : undefined;
}

/** The fields of a memory's access hash (`keys.access`), outside the indexed record. */
export const ACCESS_FIELDS = ["lastAccessedAt", "accessCount"] as const;

/**
 * A record with the uses recorded since it was written: recall counts them in a hash of its
 * own, so a recall never rewrites the indexed record (RediSearch would index it again).
 * `accessCount` there counts the uses since the record's last write.
 */
export function withAccess(
  record: MemoryRecord | undefined,
  access: readonly (Buffer | string | null)[] | null | undefined,
): MemoryRecord | undefined {
  const use = record && useOf(access);
  if (!record || !use) return record;
  return {
    ...record,
    lastAccessedAt: new Date(use.at),
    accessCount: record.accessCount + use.count,
  };
}

/**
 * As `withAccess`, on a record just made that nobody else holds: changed in place. A plain
 * backend's saved namespace of 100k records was copied whole again to add its uses.
 */
export function addAccess(
  record: MemoryRecord,
  access: readonly (Buffer | string | null)[] | null | undefined,
): MemoryRecord {
  const use = useOf(access);
  if (use) {
    record.lastAccessedAt = new Date(use.at);
    record.accessCount += use.count;
  }
  return record;
}

function useOf(
  access: readonly (Buffer | string | null)[] | null | undefined,
): { at: number; count: number } | undefined {
  if (!access) return undefined;
  const [at, count] = access.map(text);
  return at ? { at: Number(at), count: Number(count || 0) } : undefined;
}
