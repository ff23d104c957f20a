import type { ResolvedFilter } from "../backends/backend.js";
import type { MemoryRecord } from "../record/memory-record.js";
import { matchesMetadataCondition } from "./metadata-condition.js";

/**
 * True when a record passes a filter and has not expired by `now`: the in-process twin of the
 * backends' query filters, for backends that filter after reading.
 */
export function matchesFilter(record: MemoryRecord, filter: ResolvedFilter, now: number): boolean {
  if (record.expiresAt !== undefined && record.expiresAt.getTime() <= now) return false;
  if (filter.kinds && !filter.kinds.includes(record.kind)) return false;
  if (filter.tags && !filter.tags.every((tag) => record.tags.includes(tag))) return false;
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    if (!Object.hasOwn(record.metadata, key) || record.metadata[key] !== value) return false;
  }
  const created = record.createdAt.getTime();
  const updated = record.updatedAt.getTime();
  if (filter.createdAfter !== undefined && !(created > filter.createdAfter)) return false;
  if (filter.createdBefore !== undefined && !(created < filter.createdBefore)) return false;
  if (filter.updatedAfter !== undefined && !(updated > filter.updatedAfter)) return false;
  if (filter.updatedBefore !== undefined && !(updated < filter.updatedBefore)) return false;
  if (filter.pinned !== undefined && record.pinned !== filter.pinned) return false;
  if (filter.keys && (record.key === undefined || !filter.keys.includes(record.key))) return false;
  if (filter.where && !matchesMetadataCondition(record.metadata, filter.where)) return false;
  return true;
}
