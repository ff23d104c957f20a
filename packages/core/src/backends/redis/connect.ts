import { EngramError } from "../../errors/engram-error.js";
import { clusterConnection, isClusterClient, type RedisClusterLike } from "./cluster-client.js";
import { ownConnection, type RedisClientLike } from "./redis-client.js";
import { detectSearchCoordinator, detectSearchModule } from "./search-module.js";

/**
 * Where the backend's data lives: a URL it connects to, the URLs of Redis Cluster nodes it
 * discovers the cluster from, or the caller's own client, a plain one (`createClient`) or a
 * cluster one (`createCluster`).
 */
export type RedisConnection =
  | { url: string }
  | { clusterUrls: readonly string[] }
  | { client: RedisClientLike | RedisClusterLike };

/** The connections one backend uses, and what the server offers. */
export interface RedisConnections {
  /** The caller's client, or one made from the URL: plain reads. */
  client: RedisClientLike;
  /** Transactions without WATCH, and FT.* commands (RESP2). */
  writer: RedisClientLike;
  /** Transactions that WATCH a key, one at a time (WATCH state belongs to a connection). */
  keyed: RedisClientLike;
  /** Whether `client` was made here, so it is ours to close. */
  owned: boolean;
  /** Whether the server has RediSearch 2.6 or later. */
  searchModule: boolean;
  /** Whether the caller's client is a Redis Cluster client. */
  cluster: boolean;
  /** On a cluster with RediSearch: whether a search coordinator spans its shards. */
  searchCoordinator: boolean;
}

// node-redis reconnects by itself, and an unheard "error" event would crash the process: say
// so once per outage, not once per retry.
function watchConnection(client: RedisClientLike): void {
  let warned = false;
  client.on("error", (error) => {
    if (warned) return;
    warned = true;
    console.warn(`[engram] Redis connection lost (reconnecting): ${error.message}`);
  });
  client.on("ready", () => {
    warned = false;
  });
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/**
 * Opens what the backend needs: the base client (unless given) and two RESP2 duplicates. A
 * cluster client's commands go to the master of their key's slot (see `clusterConnection`).
 */
export async function connect(connection: RedisConnection): Promise<RedisConnections> {
  let client: RedisClientLike;
  let owned = false;
  const cluster =
    "clusterUrls" in connection || ("client" in connection && isClusterClient(connection.client));
  if ("clusterUrls" in connection) {
    const { createCluster } = await import("redis");
    const own = createCluster({
      rootNodes: connection.clusterUrls.map((url) => ({ url })),
      defaults: { socket: { connectTimeout: 5000 } },
    }) as unknown as RedisClusterLike;
    client = clusterConnection(own);
    watchConnection(client);
    try {
      await client.connect();
    } catch (cause) {
      throw new EngramError(
        "BACKEND_UNAVAILABLE",
        `Could not connect to the Redis Cluster at ${connection.clusterUrls.map(redactUrl).join(", ")}.`,
        { cause },
      );
    }
    owned = true;
  } else if ("client" in connection) {
    client = isClusterClient(connection.client)
      ? clusterConnection(connection.client)
      : connection.client;
    if (!client.isOpen) await client.connect();
  } else {
    const { createClient } = await import("redis");
    let connected = false;
    client = createClient({
      url: connection.url,
      socket: {
        connectTimeout: 5000,
        // Retry a connection that worked; give up at once on one that never did.
        reconnectStrategy: (retries: number, cause: Error) =>
          connected ? Math.min(100 * retries, 2000) : cause,
      },
    }) as unknown as RedisClientLike;
    watchConnection(client);
    client.on("ready", () => {
      connected = true;
    });
    try {
      await client.connect();
    } catch (cause) {
      throw new EngramError(
        "BACKEND_UNAVAILABLE",
        `Could not connect to Redis at ${redactUrl(connection.url)}.`,
        { cause },
      );
    }
    owned = true;
  }
  // RESP2 whatever the caller's client speaks: MODULE LIST and FT.* replies are parsed as RESP2.
  const writer = ownConnection(client, 2);
  const keyed = ownConnection(client, 2);
  const opened: RedisConnections = {
    client,
    writer,
    keyed,
    owned,
    searchModule: false,
    cluster,
    searchCoordinator: false,
  };
  try {
    for (const own of [writer, keyed]) {
      watchConnection(own);
      await own.connect();
    }
    opened.searchModule = await detectSearchModule(writer);
    opened.searchCoordinator =
      cluster && opened.searchModule && (await detectSearchCoordinator(writer));
  } catch (error) {
    await disconnect(opened);
    throw error;
  }
  return opened;
}

/** Closes the connections made by `connect`; never the caller's client. */
export async function disconnect(connections: RedisConnections): Promise<void> {
  const { client, writer, keyed, owned } = connections;
  for (const own of owned ? [writer, keyed, client] : [writer, keyed]) {
    if (own.isOpen) await own.close().catch(() => own.destroy());
  }
}
