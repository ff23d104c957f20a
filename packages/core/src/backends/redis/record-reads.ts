import { encodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import type { HistoryEntry } from "../backend.js";
import { deserializeHistory } from "./history-json.js";
import type { RedisKeys } from "./keys.js";
import type { plainReads } from "./plain-reads.js";
import type { RedisClientLike } from "./redis-client.js";
import type { TenantDirectory } from "./tenant-directory.js";

type Reads = Pick<ReturnType<typeof plainReads>, "readRecords" | "live">;

/**
 * Point reads in either mode: a memory by key, by content hash or by vector hash, and a
 * memory's history. Each goes to Redis (no cache), through the index hashes, and checks that
 * the record it finds still matches, since the index entries can outlive an expired record.
 */
export function recordReads(
  connection: () => RedisClientLike,
  keys: RedisKeys,
  { readRecords, live }: Reads,
  directory: TenantDirectory,
) {
  async function getByKey(
    namespace: string,
    key: string,
    now: number,
  ): Promise<MemoryRecord | undefined> {
    const id = (await connection().sendCommand(["HGET", keys.namespaceKeys(namespace), key])) as
      | string
      | null;
    if (!id) return undefined;
    const [record] = await live([id], now, keys.tenantOf(namespace));
    return record && record.key === key && encodeNamespace(record.namespace) === namespace
      ? record
      : undefined;
  }

  async function findByContentHash(
    namespace: string,
    hashes: readonly string[],
    now: number,
  ): Promise<MemoryRecord[]> {
    if (hashes.length === 0) return [];
    const ids = (await connection().sendCommand([
      "HMGET",
      keys.namespaceHashes(namespace),
      ...hashes,
    ])) as (string | null)[];
    const records = await live(
      ids.filter((id): id is string => id !== null),
      now,
      keys.tenantOf(namespace),
    );
    return records.filter(
      (record): record is MemoryRecord =>
        record !== undefined &&
        encodeNamespace(record.namespace) === namespace &&
        hashes.includes(record.contentHash),
    );
  }

  async function history(id: string): Promise<HistoryEntry[]> {
    // The directory entry stays as long as the history (both go when the namespace is erased).
    const [tenant] = await directory.tenantsOf([id]);
    if (tenant === undefined) return [];
    const entries = (await connection().sendCommand([
      "LRANGE",
      keys.history(tenant, id),
      "0",
      "-1",
    ])) as string[];
    return entries.map(deserializeHistory);
  }

  async function findVectors(
    model: string,
    hashes: readonly string[],
    tenant: string,
  ): Promise<Map<string, Float32Array>> {
    if (hashes.length === 0) return new Map();
    const ids = (await connection().sendCommand([
      "HMGET",
      keys.vectorsByHash(tenant),
      ...hashes.map((hash) => `${model}|${hash}`),
    ])) as (string | null)[];
    const found = new Map<string, Float32Array>();
    const present = ids.flatMap((id, index) => (id ? [{ id, hash: hashes[index]! }] : []));
    const rows = await readRecords(
      present.map((entry) => entry.id),
      true,
      tenant,
    );
    rows.forEach(({ record, vector }, index) => {
      // The record must still be this hash's memory, and of this tenant.
      if (
        record &&
        vector &&
        record.contentHash === present[index]!.hash &&
        keys.tenantOf(encodeNamespace(record.namespace)) === tenant
      )
        found.set(present[index]!.hash, vector);
    });
    return found;
  }

  return { getByKey, findByContentHash, history, findVectors };
}
