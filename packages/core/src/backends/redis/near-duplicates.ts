import { encodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord, StoredMemory } from "../../record/memory-record.js";
import { BandIndex } from "../../retrieval/band-index.js";
import {
  bytesToSignature,
  hammingLimits,
  signatureOf,
  signatureToBytes,
} from "../../retrieval/lsh-signature.js";
import { NamespaceBands } from "../../retrieval/namespace-bands.js";
import { dot } from "../../retrieval/vector-math.js";
import type { NearProbe, ScoredMemory, Selection, WriteOperation } from "../backend.js";
import { groupBy } from "./group-by.js";
import type { RedisKeys } from "./keys.js";
import { namespaceIds } from "./plain-reads.js";
import { hashToVector } from "./record-hash.js";
import { AS_BUFFERS, type RedisClientLike } from "./redis-client.js";

type ReadRecords = (
  ids: readonly string[],
  withVectors: boolean,
  tenant?: string,
) => Promise<{ record: MemoryRecord | undefined; vector: Float32Array | undefined }[]>;

// Writes a computed signature only into a memory that still exists and has none: a hash
// recreated without one would be a stub, and a newer writer's signature wins.
const BACKFILL = `if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('HEXISTS', KEYS[1], 'sig') == 0 then
  redis.call('HSET', KEYS[1], 'sig', ARGV[1])
end
return 0`;

// The packed vectors of many memories in one round trip (false where a hash is gone).
const VECTORS = `local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HGET', key, 'vector') end
return out`;

/**
 * Near duplicates in search mode: the nearest memory of each probe's namespace by KNN, through
 * the same search the backend's `searchVector` runs.
 */
export async function nearestBySearch(
  search: (selection: Selection, vector: Float32Array, limit: number) => Promise<ScoredMemory[]>,
  probes: readonly NearProbe[],
  threshold: number,
  now: number,
): Promise<(ScoredMemory | undefined)[]> {
  return Promise.all(
    probes.map(async (probe) => {
      const [best] = await search(
        { scope: { exact: [probe.namespace], prefixes: [] }, filter: {}, now },
        probe.vector,
        1,
      );
      return best && best.score >= threshold ? best : undefined;
    }),
  );
}

/**
 * Near-duplicate candidates in plain mode. Each memory's LSH signature is a field of its hash
 * (`sig`), so it lands in the same MULTI/EXEC, expires with it and is erased with it. Each
 * namespace's band index is kept in process: built from the signatures on first use, patched
 * by this process's writes, and rebuilt when another process has written. A counter per tenant
 * (`keys.nearSequence`) that every write of the tenant increments in its MULTI/EXEC tells the
 * two apart.
 */
export function redisNearDuplicates(
  connection: () => RedisClientLike,
  keys: RedisKeys,
  readRecords: ReadRecords,
) {
  // Per tenant, labelled with the tenant's counter value they are current for.
  const tenants = new Map<string, NamespaceBands<string>>();
  const bandsOf = (tenant: string) => {
    let bands = tenants.get(tenant);
    if (!bands) {
      // A bound on tenants held; a dropped one is read again when next probed.
      if (tenants.size >= MAX_TENANTS) tenants.delete(tenants.keys().next().value!);
      bands = new NamespaceBands<string>();
      tenants.set(tenant, bands);
    }
    return bands;
  };

  async function counter(tenant: string): Promise<string> {
    return String((await connection().sendCommand(["GET", keys.nearSequence(tenant)])) ?? "0");
  }

  async function build(namespace: string): Promise<BandIndex<string>> {
    const client = connection();
    const tenant = keys.tenantOf(namespace);
    const index = new BandIndex<string>();
    const ids = await namespaceIds(client, keys, namespace);
    const stored = (await Promise.all(
      ids.map((id) => client.sendCommand(["HGET", keys.memory(tenant, id), "sig"], AS_BUFFERS)),
    )) as (Buffer | null)[];
    const missing: string[] = [];
    stored.forEach((bytes, at) => {
      const signature = bytes ? bytesToSignature(bytes) : undefined;
      if (signature) index.set(ids[at]!, signature);
      else missing.push(ids[at]!);
    });
    // Memories written before signatures existed (expired ones have no vector either).
    const vectors = (await Promise.all(
      missing.map((id) =>
        client.sendCommand(["HGET", keys.memory(tenant, id), "vector"], AS_BUFFERS),
      ),
    )) as (Buffer | null)[];
    await Promise.all(
      vectors.map(async (bytes, at) => {
        const vector = hashToVector(bytes);
        if (!vector) return;
        const signature = signatureOf(vector);
        index.set(missing[at]!, signature);
        await client.sendCommand([
          "EVAL",
          BACKFILL,
          "1",
          keys.memory(tenant, missing[at]!),
          Buffer.from(signatureToBytes(signature)),
        ]);
      }),
    );
    return index;
  }

  return {
    /** Drops every index (the backend closed, or the store was dropped). */
    clear(): void {
      tenants.clear();
    },

    /**
     * A put's commands with its signature added to the HSET that writes the memory's hash
     * (one command fewer per memory than a separate HSET).
     */
    withSignature(commands: (string | Buffer)[][], memory: StoredMemory): (string | Buffer)[][] {
      const hash = keys.memory(keys.tenantOf(encodeNamespace(memory.namespace)), memory.id);
      const bytes = Buffer.from(signatureToBytes(signatureOf(memory.vector)));
      const write = commands.find((command) => command[0] === "HSET" && command[1] === hash);
      if (write) write.push("sig", bytes);
      else commands.push(["HSET", hash, "sig", bytes]);
      return commands;
    },

    /**
     * What a write of one tenant's operations adds to its MULTI/EXEC: the tenant's counter's
     * step, when it changes memories.
     */
    writeCommands(tenant: string, operations: readonly WriteOperation[]): (string | Buffer)[][] {
      return operations.some((operation) => operation.type !== "history")
        ? [["INCR", keys.nearSequence(tenant)]]
        : [];
    },

    /** The command an erase in one tenant adds to its MULTI/EXEC. */
    eraseCommand(tenant: string): string[] {
      return ["INCR", keys.nearSequence(tenant)];
    },

    /**
     * After this process committed a write: patch the indexes if the counter moved by exactly
     * that write, otherwise drop them (another process wrote too).
     */
    async afterWrite(tenant: string, operations: readonly WriteOperation[]): Promise<void> {
      const bands = tenants.get(tenant);
      const label = bands?.label;
      if (!bands || label === undefined) return;
      // The write has committed: failing to read the counter only costs a rebuild.
      const now = await counter(tenant).catch(() => undefined);
      if (now === undefined || bands.label !== label || Number(now) !== Number(label) + 1) {
        bands.clear();
        return;
      }
      bands.label = now;
      for (const operation of operations) {
        if (operation.type === "put") {
          const { memory } = operation;
          bands.put(memory.id, encodeNamespace(memory.namespace), signatureOf(memory.vector));
        } else if (operation.type === "delete") bands.delete(operation.id);
      }
    },

    /** For each probe, its most similar live memory at or above the threshold, if any. */
    async find(
      probes: readonly NearProbe[],
      threshold: number,
      now: number,
    ): Promise<(ScoredMemory | undefined)[]> {
      const out: (ScoredMemory | undefined)[] = probes.map(() => undefined);
      const groups = groupBy(probes.entries(), ([, probe]) => keys.tenantOf(probe.namespace));
      await Promise.all(
        [...groups].map(async ([tenant, group]) => {
          const found = await findIn(
            tenant,
            group.map(([, probe]) => probe),
            threshold,
            now,
          );
          group.forEach(([at], index) => {
            out[at] = found[index];
          });
        }),
      );
      return out;
    },
  };

  /** `find` for probes of one tenant. */
  async function findIn(
    tenant: string,
    probes: readonly NearProbe[],
    threshold: number,
    now: number,
  ): Promise<(ScoredMemory | undefined)[]> {
    const bands = bandsOf(tenant);
    // Expired or deleted elsewhere: drop the stale entry.
    const forget = (id: string) => bands.delete(id);
    const current = await counter(tenant);
    if (current !== bands.label) {
      bands.clear();
      bands.label = current;
    }
    const used = new Map<string, BandIndex<string>>();
    for (const namespace of new Set(probes.map((probe) => probe.namespace))) {
      let index = bands.get(namespace);
      if (!index) {
        index = await build(namespace);
        // Kept only if no write of this process changed the picture while it was read.
        if (bands.label === current) bands.keep(namespace, index);
      }
      used.set(namespace, index);
    }
    const limit = hammingLimits(threshold);
    const candidates = probes.map((probe) =>
      used.get(probe.namespace)!.candidates(signatureOf(probe.vector), limit),
    );
    const wanted = [...new Set(candidates.flat())];
    if (wanted.length === 0) return probes.map(() => undefined);
    // Vectors first; whole records only for the few close enough.
    const client = connection();
    const packed = (await client.sendCommand(
      ["EVAL", VECTORS, String(wanted.length), ...wanted.map((id) => keys.memory(tenant, id))],
      AS_BUFFERS,
    )) as (Buffer | null | false)[];
    const vectors = new Map<string, Float32Array>();
    packed.forEach((bytes, at) => {
      const vector = bytes ? hashToVector(bytes) : undefined;
      if (vector) vectors.set(wanted[at]!, vector);
      else forget(wanted[at]!);
    });
    const close = probes.map((probe, at) =>
      candidates[at]!.flatMap((id) => {
        const vector = vectors.get(id);
        if (!vector || vector.length !== probe.vector.length) return [];
        const score = dot(probe.vector, vector);
        return score >= threshold ? [{ id, score }] : [];
      }),
    );
    const closeIds = [...new Set(close.flat().map((entry) => entry.id))];
    if (closeIds.length === 0) return probes.map(() => undefined);
    const records = new Map<string, MemoryRecord>();
    (await readRecords(closeIds, false, tenant)).forEach(({ record }, at) => {
      if (record) records.set(closeIds[at]!, record);
      else forget(closeIds[at]!);
    });
    return probes.map((probe, at) => {
      let best: ScoredMemory | undefined;
      for (const { id, score } of close[at]!) {
        const record = records.get(id);
        if (!record) continue;
        if (record.expiresAt !== undefined && record.expiresAt.getTime() <= now) continue;
        if (encodeNamespace(record.namespace) !== probe.namespace) continue;
        if (!best || score > best.score) best = { memory: record, score };
      }
      return best;
    });
  }
}

// How many tenants' band indexes a process keeps.
const MAX_TENANTS = 1_000;
