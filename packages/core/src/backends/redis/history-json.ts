import { deserializeRecord, serializeRecord } from "../../record/serialize.js";
import type { HistoryEntry } from "../backend.js";

/** One history entry as the JSON kept in a memory's history list. */
export function serializeHistory(entry: HistoryEntry): string {
  return JSON.stringify({
    memoryId: entry.memoryId,
    namespace: entry.namespace,
    action: entry.action,
    before: entry.before ? serializeRecord(entry.before) : null,
    after: entry.after ? serializeRecord(entry.after) : null,
    at: entry.at.getTime(),
    ...(entry.source ? { source: entry.source } : {}),
  });
}

/** Inverse of `serializeHistory`. */
export function deserializeHistory(json: string): HistoryEntry {
  const raw = JSON.parse(json);
  return {
    memoryId: raw.memoryId,
    namespace: Object.freeze(raw.namespace),
    action: raw.action,
    before: raw.before === null ? undefined : deserializeRecord(raw.before),
    after: raw.after === null ? undefined : deserializeRecord(raw.after),
    at: new Date(raw.at),
    ...(raw.source ? { source: raw.source } : {}),
  };
}
