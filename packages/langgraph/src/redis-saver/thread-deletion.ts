import type { SaverKeys } from "./keys.js";
import { type RedisClientLike, transaction } from "./redis-client.js";

// Drops a namespace from the registry once its last thread is gone, atomically, so a
// concurrent put for another thread of the same namespace is never lost.
const UNREGISTER = `
redis.call("SREM", KEYS[1], ARGV[1])
if redis.call("SCARD", KEYS[1]) == 0 then redis.call("ZREM", KEYS[2], ARGV[2]) end
return 1
`;

/**
 * Deletes one thread completely: every checkpoint, blob and write key, its index keys, and its
 * entries in the registry. Keys are found through the thread's own indexes, never by SCAN.
 */
export async function threadDeletion(
  client: RedisClientLike,
  keys: SaverKeys,
  threadId: string,
): Promise<void> {
  const thread = keys.thread(threadId);
  const [checkpointNamespaces, owners] = (await Promise.all([
    client.sendCommand(["SMEMBERS", thread.checkpointNamespaces]),
    client.sendCommand(["SMEMBERS", thread.owners]),
  ])) as [string[], string[]];
  const ids = (await Promise.all(
    checkpointNamespaces.map((checkpointNs) =>
      client.sendCommand(["ZRANGE", thread.index(checkpointNs), "0", "-1"]),
    ),
  )) as string[][];
  const doomed = [thread.checkpointNamespaces, thread.owners];
  checkpointNamespaces.forEach((checkpointNs, position) => {
    doomed.push(thread.index(checkpointNs), thread.blobs(checkpointNs));
    for (const id of ids[position] ?? []) {
      doomed.push(thread.checkpoint(checkpointNs, id), thread.writes(checkpointNs, id));
    }
  });
  await Promise.all([
    transaction(client, [["UNLINK", ...doomed]]),
    client.sendCommand(["ZREM", keys.threads, threadId]),
    ...owners.map((owner) =>
      client.sendCommand([
        "EVAL",
        UNREGISTER,
        "2",
        keys.namespaceThreads(owner),
        keys.namespaces,
        threadId,
        owner,
      ]),
    ),
  ]);
}
