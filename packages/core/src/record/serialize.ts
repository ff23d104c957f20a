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
  const raw = JSON.parse(json);
  const date = (millis: number | undefined) =>
    millis === undefined ? undefined : new Date(millis);
  return {
    ...raw,
    key: raw.key ?? undefined,
    createdAt: new Date(raw.createdAt),
    updatedAt: new Date(raw.updatedAt),
    lastAccessedAt: date(raw.lastAccessedAt),
    expiresAt: date(raw.expiresAt),
  };
}
