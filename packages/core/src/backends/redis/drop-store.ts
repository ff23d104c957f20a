import type { RedisKeys } from "./keys.js";
import type { RedisClientLike } from "./redis-client.js";

/**
 * Deletes every key of one store and its search indexes. An admin operation: it SCANs the
 * keyspace (never KEYS), so it is for teardown, benchmarks and tests, not request paths.
 */
export async function dropStore(client: RedisClientLike, keys: RedisKeys, search: boolean) {
  if (search) {
    const indexes = (await client.sendCommand(["FT._LIST"])) as string[];
    for (const name of indexes.filter((index) => index.startsWith(keys.root)))
      await client.sendCommand(["FT.DROPINDEX", name]);
  }
  let cursor = "0";
  do {
    const [next, found] = (await client.sendCommand([
      "SCAN",
      cursor,
      "MATCH",
      `${keys.root.replace(/[*?[\]\\]/g, "\\$&")}*`,
      "COUNT",
      "1000",
    ])) as [string, string[]];
    if (found.length > 0) await client.sendCommand(["UNLINK", ...found]);
    cursor = next;
  } while (cursor !== "0");
}
