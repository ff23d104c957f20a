import { escapeGlob, type RedisKeys } from "./keys.js";
import type { RedisClientLike } from "./redis-client.js";

/** The nodes a store's keys may live on: every master of a cluster, or the one server. */
export async function storeNodes(client: RedisClientLike): Promise<RedisClientLike[]> {
  return client.routing ? client.routing.masters() : [client];
}

/** Every key of this store on one node (SCAN, never KEYS), page by page. */
export async function* scanStore(
  node: RedisClientLike,
  match: string,
  owns: (key: string) => boolean,
): AsyncGenerator<string[]> {
  let cursor = "0";
  do {
    const [next, found] = (await node.sendCommand([
      "SCAN",
      cursor,
      "MATCH",
      match,
      "COUNT",
      "1000",
    ])) as [string, string[]];
    const mine = found.filter(owns);
    if (mine.length > 0) yield mine;
    cursor = next;
  } while (cursor !== "0");
}

/**
 * Deletes every key of one store and its search indexes, on every master of a cluster. An
 * admin operation: it SCANs the keyspace (never KEYS), so it is for teardown, benchmarks and
 * tests, not request paths.
 */
export async function dropStore(client: RedisClientLike, keys: RedisKeys, search: boolean) {
  const nodes = await storeNodes(client);
  const indexPrefix = keys.searchIndex("");
  for (const node of nodes) {
    if (search) {
      const indexes = (await node.sendCommand(["FT._LIST"])) as string[];
      // `<prefix>:idx:<model>`, and not an index of a store whose prefix is `<prefix>:idx:...`.
      // A coordinator drops an index on every shard at once: the next master finds it gone.
      for (const name of indexes.filter(
        (index) =>
          index.startsWith(indexPrefix) && !index.slice(indexPrefix.length).includes(":idx:"),
      ))
        await node.sendCommand(["FT.DROPINDEX", name]).catch(unlessUnknownIndex);
    }
    for await (const found of scanStore(node, `${escapeGlob(keys.root)}*`, keys.owns)) {
      // On a cluster a multi-key UNLINK must stay in one slot: one key per command there.
      if (client.routing) await Promise.all(found.map((key) => node.sendCommand(["UNLINK", key])));
      else await node.sendCommand(["UNLINK", ...found]);
    }
  }
}

/** Rethrows an error unless it says the index is gone (a coordinator dropped it everywhere). */
export function unlessUnknownIndex(error: Error): void {
  if (!/unknown index|no such index/i.test(error.message)) throw error;
}
