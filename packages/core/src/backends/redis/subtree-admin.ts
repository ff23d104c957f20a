import type { committer } from "./commit.js";
import type { RedisKeys } from "./keys.js";
import type { redisNearDuplicates } from "./near-duplicates.js";
import { namespaceIds, type plainReads } from "./plain-reads.js";
import type { RedisClientLike } from "./redis-client.js";
import type { writeCommands } from "./write-commands.js";

// KEYS[1]: a directory entry; ARGV[1]: the tenant it must still name to be deleted (an id
// restored into another tenant since keeps its entry).
const UNHOME = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

interface AdminParts {
  keys: RedisKeys;
  reads: Pick<ReturnType<typeof plainReads>, "readRecords" | "namespacesIn">;
  commands: ReturnType<typeof writeCommands>;
  near: ReturnType<typeof redisNearDuplicates>;
  commit: ReturnType<typeof committer>;
}

/** Whole-store and whole-subtree operations: every namespace, and erasing a subtree. */
export function subtreeAdmin({ keys, reads, commands, near, commit }: AdminParts) {
  /**
   * The namespaces holding a memory, sorted: gathered tenant by tenant from the registry
   * (which may name tenants with none left, never miss one).
   */
  async function namespaces(client: RedisClientLike): Promise<string[]> {
    const tenants = (await client.sendCommand(["SMEMBERS", keys.tenants])) as string[];
    const perTenant = await Promise.all(
      tenants.map(async (tenant) => {
        // The set keeps every namespace that ever held a memory: report those that still do.
        const all = (await client.sendCommand([
          "ZRANGE",
          keys.namespaces(tenant),
          "0",
          "-1",
        ])) as string[];
        const sizes = await Promise.all(
          all.map((namespace) => client.sendCommand(["ZCARD", keys.namespaceIds(namespace)])),
        );
        return all.filter((_, index) => Number(sizes[index]) > 0);
      }),
    );
    return perTenant.flat().sort();
  }

  /**
   * Deletes every memory in the subtree and their history, one transaction per tenant (a
   * subtree shorter than a tenant spans every tenant under it); returns how many were live.
   * The directory entries go with them (after it, on a cluster: a stale one reads as absent).
   */
  async function deleteSubtree(
    client: RedisClientLike,
    writer: RedisClientLike,
    prefix: string,
  ): Promise<number> {
    const found = await reads.namespacesIn({ exact: [], prefixes: [prefix] });
    const byTenant = new Map<string, string[]>();
    for (const namespace of found) {
      const tenant = keys.tenantOf(namespace);
      byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), namespace]);
    }
    let count = 0;
    for (const [tenant, namespaces] of byTenant)
      count += await deleteInTenant(client, writer, tenant, namespaces);
    return count;
  }

  /** Erases these namespaces of one tenant in one transaction; returns how many were live. */
  async function deleteInTenant(
    client: RedisClientLike,
    writer: RedisClientLike,
    tenant: string,
    found: string[],
  ): Promise<number> {
    const transaction: string[][] = [];
    const homes: string[] = [];
    let count = 0;
    const now = Date.now();
    for (const namespace of found) {
      const ids = await namespaceIds(client, keys, namespace);
      homes.push(...ids);
      for (const { record } of await reads.readRecords(ids, false, tenant)) {
        if (!record) continue;
        if (record.expiresAt === undefined || record.expiresAt.getTime() > now) count += 1;
        transaction.push(
          ["DEL", keys.memory(tenant, record.id), keys.access(tenant, record.id)],
          ["HDEL", keys.vectorsByHash(tenant), `${record.embedding.model}|${record.contentHash}`],
          ...commands.eventCommand("deleted", record, namespace, now, undefined),
        );
      }
      const historyIds = (await client.sendCommand([
        "SMEMBERS",
        keys.namespaceHistory(namespace),
      ])) as string[];
      homes.push(...historyIds);
      for (const id of historyIds) transaction.push(["DEL", keys.history(tenant, id)]);
      transaction.push(
        [
          "DEL",
          keys.namespaceIds(namespace),
          keys.namespaceKeys(namespace),
          keys.namespaceHashes(namespace),
          keys.namespaceHistory(namespace),
        ],
        ["ZREM", keys.namespaces(tenant), namespace],
      );
    }
    if (transaction.length === 0) return count;
    transaction.push(near.eraseCommand(tenant));
    const unhomed = [...new Set(homes)].map((id) => ["EVAL", UNHOME, "1", keys.home(id), tenant]);
    // One server: the directory entries go in the same transaction.
    if (!writer.routing) transaction.push(...unhomed);
    await commit(
      writer,
      tenant,
      new Map(found.map((namespace) => [namespace, undefined])),
      transaction,
      [],
      true,
    );
    if (writer.routing) await Promise.all(unhomed.map((command) => client.sendCommand(command)));
    return count;
  }

  return { namespaces, deleteSubtree };
}
