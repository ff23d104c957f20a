import { randomUUID } from "node:crypto";
import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import type { WriteOperation } from "../backend.js";
import { type committer, type Durability, waitForReplicas } from "./commit.js";
import { groupBy } from "./group-by.js";
import { serializeHistory } from "./history-json.js";
import type { RedisKeys } from "./keys.js";
import type { redisNearDuplicates } from "./near-duplicates.js";
import type { plainReads } from "./plain-reads.js";
import type { RedisClientLike } from "./redis-client.js";
import type { TenantDirectory } from "./tenant-directory.js";
import type { writeCommands } from "./write-commands.js";

interface WritePathParts {
  keys: RedisKeys;
  reads: Pick<ReturnType<typeof plainReads>, "readRecords" | "live">;
  commands: ReturnType<typeof writeCommands>;
  near: ReturnType<typeof redisNearDuplicates>;
  commit: ReturnType<typeof committer>;
  directory: TenantDirectory;
  durability: Durability;
}

/** One tenant's share of a write, as commands for its MULTI/EXEC. */
interface TenantWrite {
  tenant: string;
  operations: WriteOperation[];
  commands: (string | Buffer)[][];
  /** Ids whose directory entry must reach Redis before the transaction. */
  homes: string[];
  touched: Map<string, string>;
  watched: string[];
}

/**
 * How a write reaches Redis. Operations are grouped by tenant: each tenant's share is one
 * MULTI/EXEC in the tenant's slot. On a single node the shares run as one transaction (all or
 * nothing, as before); on a cluster one transaction per tenant, one after the other, since a
 * transaction cannot span slots. Directory entries of new ids and the tenant registry are
 * written before the transaction that needs them (on a single node, inside it).
 */
export function writePath({
  keys,
  reads,
  commands,
  near,
  commit,
  directory,
  durability,
}: WritePathParts) {
  // Tenants this process has put in the store-wide registry (`keys.tenants`).
  const registered = directory.registeredIn("tenants");

  /** The tenant of each operation's memory; deletes of memories that are gone are dropped. */
  async function byTenant(operations: readonly WriteOperation[]) {
    const deleted = operations.flatMap((op) => (op.type === "delete" ? [op.id] : []));
    const stored = new Map<string, MemoryRecord>();
    if (deleted.length > 0)
      (await reads.readRecords(deleted, false)).forEach(({ record }, at) => {
        if (record) stored.set(deleted[at]!, record);
      });
    const tenantOfOperation = (op: WriteOperation) => {
      if (op.type === "put") return keys.tenantOf(encodeNamespace(op.memory.namespace));
      if (op.type === "history") return keys.tenantOf(encodeNamespace(op.entry.namespace));
      const record = stored.get(op.id);
      return record ? keys.tenantOf(encodeNamespace(record.namespace)) : "";
    };
    const groups = groupBy(operations, tenantOfOperation);
    groups.delete(""); // deletes of memories already gone
    return { groups, stored };
  }

  async function prepare(
    writer: RedisClientLike,
    tenant: string,
    operations: WriteOperation[],
    stored: Map<string, MemoryRecord>,
  ): Promise<TenantWrite> {
    const share: TenantWrite = {
      tenant,
      operations,
      commands: [],
      homes: [],
      touched: new Map(),
      watched: [],
    };
    // One fresh version token per namespace this write touches.
    const versionOf = (namespace: string) => {
      const version = share.touched.get(namespace) ?? randomUUID();
      share.touched.set(namespace, version);
      return version;
    };
    for (const operation of operations) {
      if (operation.type === "put") {
        const { memory } = operation;
        const namespace = encodeNamespace(memory.namespace);
        const version = versionOf(namespace);
        if (memory.key !== undefined) {
          // Optimistic: if another writer maps this key between here and EXEC, EXEC fails.
          await writer.watch(keys.namespaceKeys(namespace));
          share.watched.push(keys.namespaceKeys(namespace));
          const holder = (await writer.sendCommand([
            "HGET",
            keys.namespaceKeys(namespace),
            memory.key,
          ])) as string | null;
          if (holder && holder !== memory.id) {
            const [alive] = await reads.live([holder], memory.updatedAt.getTime(), tenant);
            if (alive && alive.key === memory.key) {
              await writer.sendCommand(["UNWATCH"]);
              throw new EngramError(
                "CONFLICT",
                "Another writer stored a memory with the same key first.",
              );
            }
          }
        }
        // A replaced memory's entry exists already (written when it was created).
        if (operation.created || !directory.knows(memory.id, tenant)) share.homes.push(memory.id);
        share.commands.push(
          ...near.withSignature(
            commands.putCommands(memory, namespace, operation.created, version),
            memory,
          ),
        );
      } else if (operation.type === "delete") {
        const record = stored.get(operation.id)!;
        const namespace = encodeNamespace(record.namespace);
        const version = versionOf(namespace);
        const [keyHolder, hashHolder] = await Promise.all([
          record.key === undefined
            ? null
            : (writer.sendCommand(["HGET", keys.namespaceKeys(namespace), record.key]) as Promise<
                string | null
              >),
          writer.sendCommand([
            "HGET",
            keys.namespaceHashes(namespace),
            record.contentHash,
          ]) as Promise<string | null>,
        ]);
        share.commands.push(...commands.deleteCommands(record, keyHolder, hashHolder, version));
      } else {
        const { entry } = operation;
        const namespace = encodeNamespace(entry.namespace);
        share.commands.push([
          "RPUSH",
          keys.history(tenant, entry.memoryId),
          serializeHistory(entry),
        ]);
        share.commands.push(["SADD", keys.namespaceHistory(namespace), entry.memoryId]);
        // History outlives its memory: its directory entry must exist even for one never put.
        if (!directory.knows(entry.memoryId, tenant)) share.homes.push(entry.memoryId);
      }
    }
    share.commands.push(...near.writeCommands(tenant, operations));
    return share;
  }

  /** What must reach Redis before the share's transaction: directory and tenant registry. */
  function before(share: TenantWrite): string[][] {
    const out = [...new Set(share.homes)].map((id) => directory.entry(id, share.tenant));
    if (!registered.has(share.tenant)) out.push(["SADD", keys.tenants, share.tenant]);
    return out;
  }

  function remember(share: TenantWrite) {
    registered.add(share.tenant);
    for (const id of share.homes) directory.remember(id, share.tenant);
  }

  async function prepareAll(
    writer: RedisClientLike,
    groups: Map<string, WriteOperation[]>,
    stored: Map<string, MemoryRecord>,
  ): Promise<TenantWrite[]> {
    const shares: TenantWrite[] = [];
    try {
      for (const [tenant, group] of groups)
        shares.push(await prepare(writer, tenant, group, stored));
    } catch (error) {
      await writer.sendCommand(["UNWATCH"]).catch(() => undefined);
      throw error;
    }
    return shares;
  }

  /**
   * Applies the operations: `writer` runs the transactions (a connection that may WATCH),
   * `client` the directory writes that go before them on a cluster.
   */
  return async function write(
    writer: RedisClientLike,
    client: RedisClientLike,
    operations: readonly WriteOperation[],
  ): Promise<void> {
    const { groups, stored } = await byTenant(operations);
    const written: TenantWrite[] = [];
    if (writer.routing === undefined) {
      // One server: one transaction for every tenant, directory entries included.
      const prepared = await prepareAll(writer, groups, stored);
      const shares = prepared.filter((share) => share.commands.length > 0);
      if (shares.length === 0) {
        if (prepared.some((share) => share.watched.length > 0))
          await writer.sendCommand(["UNWATCH"]);
        return;
      }
      await commit(
        writer,
        shares[0]!.tenant,
        new Map(shares.flatMap((share) => [...share.touched])),
        [...shares.flatMap(before), ...shares.flatMap((share) => share.commands)],
        shares.flatMap((share) => share.watched),
      );
      written.push(...shares);
    } else {
      // A cluster: one transaction per tenant (WATCH state is one node's), one at a time.
      for (const [tenant, group] of groups) {
        const [share] = await prepareAll(writer, new Map([[tenant, group]]), stored);
        if (share!.commands.length === 0) {
          if (share!.watched.length > 0) await writer.sendCommand(["UNWATCH"]);
          continue;
        }
        // Ahead of the transaction, never behind it: readers tolerate an entry with no record.
        const ahead = before(share!);
        await Promise.all(ahead.map((command) => client.sendCommand(command)));
        // Replicas must hold the directory entries too, or a failover could lose the way to
        // a memory whose record survived.
        if (durability.waitForReplicas > 0 && client.routing) {
          const { routing } = client;
          const nodes = new Set(await Promise.all(ahead.map(([, key]) => routing.nodeOf(key!))));
          await Promise.all([...nodes].map((node) => waitForReplicas(node, durability)));
        }
        await commit(writer, tenant, share!.touched, share!.commands, share!.watched);
        written.push(share!);
      }
    }
    for (const share of written) remember(share);
    for (const share of written) await near.afterWrite(share.tenant, share.operations);
  };
}
