import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import { connect, disconnect, type RedisConnection } from "./connect.js";
import { scanStore, unlessUnknownIndex } from "./drop-store.js";
import { deserializeHistory } from "./history-json.js";
import { escapeGlob, type RedisKeys, redisKeys } from "./keys.js";
import { legacyRoot } from "./legacy-layout.js";
import { resolveRedisOptions } from "./options.js";
import { AS_BUFFERS, type RedisClientLike } from "./redis-client.js";

/** What `migrateStore` did. */
export interface MigrationReport {
  /** Keys moved to the current layout (split keys count once). */
  moved: number;
  /** Memories among them. */
  memories: number;
  /** Tenants found. */
  tenants: number;
  /** Old keys dropped on purpose: commit markers, the old near-duplicate counter, orphans. */
  dropped: number;
}

// Keys named by an encoded namespace (never holding ":"), then by a thread id after it.
const BY_NAMESPACE = ["ns", "keys", "hashes", "histns", "ver", "threads", "msghome", "wm"] as const;
const BY_THREAD = ["thread", "msgs", "order", "appends"] as const;

/**
 * Moves a store written in the layout before per-tenant hash tags (every key under
 * `{prefix}:`, one cluster slot) to the current one (`<prefix>:<kind>:{<tenant tag>}:...`),
 * on a single server or a cluster, and drops the old search index (the next open builds the
 * new one, indexing the moved memories). Run it once, with no process using the store: a
 * backend refuses to open a store in the old layout. Safe to run again if interrupted: keys
 * are copied (DUMP/RESTORE, expiry kept) and the old ones deleted only at the end.
 * `tenantSegments` is the layout to move into (the backend option of the same name, default 1):
 * the old per-first-segment keys (event streams, thread homes, conversation namespaces) are
 * split by the deeper tenants, and the store records the depth.
 */
export async function migrateStore(
  connection: RedisConnection,
  options: { prefix?: string; tenantSegments?: number } = {},
): Promise<MigrationReport> {
  const { prefix, tenantSegments } = resolveRedisOptions(options);
  const opened = await connect(connection);
  try {
    const { client } = opened;
    const report: MigrationReport = { moved: 0, memories: 0, tenants: 0, dropped: 0 };
    const keys = redisKeys(prefix, tenantSegments);
    const split = tenantSegments > 1;
    const conversationTenants = new Set<string>();
    const root = legacyRoot(prefix);
    // Every old key shares the `{prefix}` slot: one node holds them all.
    const node = client.routing ? await client.routing.nodeOf(`${root}meta`) : client;
    const old: string[] = [];
    for await (const page of scanStore(node, `${escapeGlob(root)}*`, () => true)) old.push(...page);
    if (old.length === 0) return report;
    const move = mover(client, node);
    const tenants = new Set<string>();
    // Memories first: the access hashes, vector map and histories need their tenants.
    const homeOf = new Map<string, string>();
    for (const key of old.filter((key) => kindOf(key, root) === "mem")) {
      const namespace = (await node.sendCommand(["HGET", key, "namespace"])) as string | null;
      if (namespace === null) continue;
      const id = key.slice(`${root}mem:`.length);
      homeOf.set(id, keys.tenantOf(namespace));
    }
    for (const key of old) {
      const kind = kindOf(key, root);
      const rest = key.slice(root.length + kind.length + 1);
      let target: string | undefined;
      if (kind === "mem" || kind === "acc") {
        const tenant = homeOf.get(rest);
        if (tenant !== undefined)
          target = kind === "mem" ? keys.memory(tenant, rest) : keys.access(tenant, rest);
        if (kind === "mem" && tenant !== undefined) report.memories++;
      } else if (kind === "hist") {
        const tenant = homeOf.get(rest) ?? (await historyTenant(node, key, keys));
        if (tenant !== undefined) {
          homeOf.set(rest, tenant);
          target = keys.history(tenant, rest);
        }
      } else if ((BY_NAMESPACE as readonly string[]).includes(kind)) {
        target = byNamespace(keys, kind as (typeof BY_NAMESPACE)[number], rest);
        tenants.add(keys.tenantOf(rest));
      } else if ((BY_THREAD as readonly string[]).includes(kind)) {
        const colon = rest.indexOf(":");
        const namespace = rest.slice(0, colon);
        const thread = rest.slice(colon + 1);
        target = byThread(keys, kind as (typeof BY_THREAD)[number], namespace, thread);
      } else if (kind === "tns") {
        const colon = rest.indexOf(":");
        const thread = rest.slice(colon + 1);
        if (split) {
          report.moved++;
          for (const namespace of await members(node, key))
            await client.sendCommand([
              "ZADD",
              keys.threadHomes(keys.tenantOf(namespace), thread),
              "0",
              namespace,
            ]);
          continue;
        }
        target = keys.threadHomes(rest.slice(0, colon), thread);
      } else if (kind === "convns") {
        for (const namespace of await members(node, key))
          conversationTenants.add(keys.tenantOf(namespace));
        if (split) {
          report.moved++;
          for (const namespace of await members(node, key))
            await client.sendCommand([
              "ZADD",
              keys.conversationNamespaces(keys.tenantOf(namespace)),
              "0",
              namespace,
            ]);
          continue;
        }
        target = keys.conversationNamespaces(rest);
      } else if (kind === "events") {
        if (split) {
          report.moved++;
          await splitEvents(client, node, key, keys);
          continue;
        }
        target = keys.events(rest);
      } else if (kind === "meta") target = keys.meta;
      else if (kind === "namespaces") {
        report.moved++;
        for (const namespace of await members(node, key)) {
          tenants.add(keys.tenantOf(namespace));
          await client.sendCommand([
            "ZADD",
            keys.namespaces(keys.tenantOf(namespace)),
            "0",
            namespace,
          ]);
        }
        continue;
      } else if (kind === "vectors") {
        report.moved++;
        const pairs = (await node.sendCommand(["HGETALL", key])) as string[];
        for (let i = 0; i + 1 < pairs.length; i += 2) {
          const tenant = homeOf.get(pairs[i + 1]!);
          if (tenant !== undefined)
            await client.sendCommand([
              "HSET",
              keys.vectorsByHash(tenant),
              pairs[i]!,
              pairs[i + 1]!,
            ]);
        }
        continue;
      }
      if (target === undefined) {
        report.dropped++;
        continue;
      }
      if (await move(key, target)) report.moved++;
    }
    for (const tenant of homeOf.values()) tenants.add(tenant);
    // The registry and the directory, then the old keys go.
    if (tenants.size > 0) await client.sendCommand(["SADD", keys.tenants, ...tenants]);
    if (conversationTenants.size > 0)
      await client.sendCommand(["SADD", keys.conversationTenants, ...conversationTenants]);
    if (split)
      await client.sendCommand(["HSET", keys.meta, "tenantSegments", String(tenantSegments)]);
    await Promise.all(
      [...homeOf].map(([id, tenant]) => client.sendCommand(["SET", keys.home(id), tenant])),
    );
    report.tenants = tenants.size;
    if (opened.searchModule) await dropLegacyIndexes(node, root);
    for (let start = 0; start < old.length; start += 500)
      await node.sendCommand(["UNLINK", ...old.slice(start, start + 500)]);
    return report;
  } catch (error) {
    throw EngramError.isInstance(error)
      ? error
      : new EngramError("BACKEND_ERROR", `Migrating the Redis store "${prefix}" failed.`, {
          cause: error,
        });
  } finally {
    await disconnect(opened);
  }
}

function kindOf(key: string, root: string): string {
  const rest = key.slice(root.length);
  const colon = rest.indexOf(":");
  return colon === -1 ? rest : rest.slice(0, colon);
}

function byNamespace(keys: RedisKeys, kind: (typeof BY_NAMESPACE)[number], namespace: string) {
  const of = {
    ns: keys.namespaceIds,
    keys: keys.namespaceKeys,
    hashes: keys.namespaceHashes,
    histns: keys.namespaceHistory,
    ver: keys.namespaceVersion,
    threads: keys.namespaceThreads,
    msghome: keys.messageHomes,
    wm: keys.workingMemory,
  } as const;
  return of[kind](namespace);
}

function byThread(
  keys: RedisKeys,
  kind: (typeof BY_THREAD)[number],
  namespace: string,
  thread: string,
) {
  const of = {
    thread: keys.thread,
    msgs: keys.threadMessages,
    order: keys.threadOrder,
    appends: keys.threadAppends,
  } as const;
  return of[kind](namespace, thread);
}

/** The tenant of a memory's history from its first entry, for a memory no longer stored. */
async function historyTenant(
  node: RedisClientLike,
  key: string,
  keys: RedisKeys,
): Promise<string | undefined> {
  const [first] = (await node.sendCommand(["LRANGE", key, "0", "0"])) as string[];
  const namespace = first === undefined ? undefined : deserializeHistory(first).namespace;
  return namespace?.[0] === undefined ? undefined : keys.tenantOf(encodeNamespace(namespace));
}

/** Every member of a sorted set. */
async function members(node: RedisClientLike, key: string): Promise<string[]> {
  return (await node.sendCommand(["ZRANGE", key, "0", "-1"])) as string[];
}

/**
 * Copies an old per-first-segment event stream into the streams of the deeper tenants, each
 * entry under its own id (so cursors stay valid); one copied before (a run again) is skipped.
 */
async function splitEvents(
  client: RedisClientLike,
  node: RedisClientLike,
  key: string,
  keys: RedisKeys,
): Promise<void> {
  let start = "-";
  for (;;) {
    const page = (await node.sendCommand(["XRANGE", key, start, "+", "COUNT", "1000"])) as [
      string,
      string[],
    ][];
    for (const [id, fields] of page) {
      const namespace = fields[fields.indexOf("namespace") + 1] ?? "";
      try {
        await client.sendCommand(["XADD", keys.events(keys.tenantOf(namespace)), id, ...fields]);
      } catch (error) {
        if (!/equal or smaller/i.test((error as Error).message)) throw error;
      }
    }
    if (page.length < 1000) return;
    start = `(${page[page.length - 1]![0]}`;
  }
}

/** Copies one key with its expiry (DUMP/RESTORE, so any type moves as it is). */
function mover(client: RedisClientLike, node: RedisClientLike) {
  return async (from: string, to: string): Promise<boolean> => {
    const [payload, ttl] = (await Promise.all([
      node.sendCommand(["DUMP", from], AS_BUFFERS),
      node.sendCommand(["PTTL", from]),
    ])) as [Buffer | null, number];
    if (payload === null || Number(ttl) === -2) return false;
    await client.sendCommand(["RESTORE", to, String(Math.max(Number(ttl), 0)), payload, "REPLACE"]);
    return true;
  };
}

/** Drops the old layout's search indexes (their documents, the old keys, go with the keys). */
async function dropLegacyIndexes(node: RedisClientLike, root: string): Promise<void> {
  const indexes = (await node.sendCommand(["FT._LIST"])) as string[];
  for (const name of indexes.filter((index) => index.startsWith(`${root}idx:`)))
    await node.sendCommand(["FT.DROPINDEX", name]).catch(unlessUnknownIndex);
}
