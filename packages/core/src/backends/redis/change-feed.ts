import type { RedisKeys } from "./keys.js";
import { ownConnection, type RedisClientLike } from "./redis-client.js";
import type { ScopeCache } from "./scope-cache.js";

/** The cache's subscription to every namespace's channel; close it with the backend. */
export interface ChangeFeed {
  close(): Promise<void>;
}

// How long a read waits for the feed's barrier before it checks version tokens instead.
const BARRIER_TIMEOUT_MS = 1000;

function versionIn(message: string): string | undefined {
  try {
    const { version } = JSON.parse(message) as { version?: unknown };
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Subscribes (PSUBSCRIBE, one pattern per store) to the change messages every write publishes,
 * on a RESP3 connection of its own: RESP3 lets the barrier's PING share the subscribed
 * connection, and only a reply on that same connection proves the messages before it arrived.
 * The connection's life drives the cache's epochs: any drop stops the feed vouching for
 * entries, and node-redis's resubscription on reconnect (done before "ready") starts a new
 * epoch. A server that refuses RESP3 or PSUBSCRIBE leaves the cache on version tokens alone.
 */
export async function followChanges(
  client: RedisClientLike,
  keys: RedisKeys,
  cache: ScopeCache,
  warn: (message: string) => void,
): Promise<ChangeFeed | undefined> {
  const connection = ownConnection(client, 3);
  const barrier = () => connection.sendCommand(["PING"], { timeout: BARRIER_TIMEOUT_MS });
  let subscribed = false;
  let closed = false;
  connection.on("error", () => cache.feedDown());
  connection.on("reconnecting", () => cache.feedDown());
  connection.on("end", () => cache.feedDown());
  connection.on("ready", () => {
    if (subscribed && !closed) cache.feedUp(barrier);
  });
  try {
    await connection.connect();
    await connection.pSubscribe(keys.channelPattern, (message, channel) => {
      cache.invalidate(keys.namespaceOfChannel(channel), versionIn(message));
    });
  } catch (error) {
    connection.destroy();
    warn(
      `[engram] Redis: no change feed (${(error as Error).message}); the plain-mode cache checks version tokens on every read`,
    );
    return undefined;
  }
  subscribed = true;
  cache.feedUp(barrier);
  return {
    async close() {
      closed = true;
      cache.feedDown();
      if (connection.isOpen) await connection.close().catch(() => connection.destroy());
    },
  };
}
