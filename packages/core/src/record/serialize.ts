import type { MemoryRecord } from "./memory-record.js";

/** A record as JSON text, dates as epoch milliseconds; for history and other snapshots. */
export function serializeRecord(record: MemoryRecord): string {
  return JSON.stringify({
    ...record,
    createdAt: record.createdAt.getTime(),
    updatedAt: record.updatedAt.getTime(),
    lastAccessedAt: record.lastAccessedAt?.getTime(),
    expiresAt: record.expiresAt?.getTime(),
  });
}

/** Inverse of `serializeRecord`. */
export function deserializeRecord(json: string): MemoryRecord {
  return reviveRecord(JSON.parse(json));
}

/**
 * A record parsed from `serializeRecord`'s JSON with its dates revived, in place: the object is
 * the caller's, fresh from `JSON.parse` (a copy of each of 100k records costs a reopen its time).
 */
export function reviveRecord(raw: Record<string, unknown>): MemoryRecord {
  const date = (millis: unknown) => (typeof millis === "number" ? new Date(millis) : undefined);
  raw.key = (raw.key as string | undefined) ?? undefined;
  raw.createdAt = new Date(raw.createdAt as number);
  raw.updatedAt = new Date(raw.updatedAt as number);
  raw.lastAccessedAt = date(raw.lastAccessedAt);
  raw.expiresAt = date(raw.expiresAt);
  return raw as unknown as MemoryRecord;
}
