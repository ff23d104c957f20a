/**
 * The parts of a node-redis client (v5 or v6) the backend uses; a real client of either major
 * fits structurally, whatever protocol (RESP2 or RESP3) it speaks.
 */
export interface RedisClientLike {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  on(event: "error" | "ready" | "end" | "reconnecting", listener: (error: Error) => void): unknown;
  sendCommand(
    args: readonly (string | Buffer)[],
    options?: { typeMapping?: Record<number, unknown>; timeout?: number },
  ): Promise<unknown>;
  /** A new connection with the same options; see `ownConnection`. */
  duplicate(overrides?: OwnConnectionOptions): RedisClientLike;
  watch(keys: string | string[]): Promise<unknown>;
  multi(): RedisMultiLike;
  pSubscribe(
    pattern: string,
    listener: (message: string, channel: string) => unknown,
  ): Promise<unknown>;
  /** On a Redis Cluster (see `clusterConnection`): single nodes, for keyless commands. */
  readonly routing?: ClusterRouting | undefined;
}

/** How a cluster connection reaches single nodes. */
export interface ClusterRouting {
  /** The client of the master that owns this key's slot. */
  nodeOf(key: string): Promise<RedisClientLike>;
  /** A client per master. */
  masters(): Promise<RedisClientLike[]>;
  /** The address of the master that owns this key's slot. */
  ownerOf(key: string): string;
  /** Every master's address. */
  addresses(): string[];
  /** The client of the master at this address. */
  node(address: string): Promise<RedisClientLike>;
}

export interface RedisMultiLike {
  addCommand(args: (string | Buffer)[]): unknown;
  exec(): Promise<unknown>;
}

/** What the backend changes when it duplicates the caller's client. */
export interface OwnConnectionOptions {
  RESP?: 2 | 3;
  maintNotifications?: "disabled";
  clientSideCache?: undefined;
  emitInvalidate?: undefined;
}

/** Asks node-redis for bulk strings as Buffers (RESP type 36), for packed vectors. */
export const AS_BUFFERS = { typeMapping: { 36: Buffer } };

/**
 * A connection of the backend's own, speaking the protocol it parses. A duplicate inherits
 * the caller's options, and node-redis refuses some of them on RESP2: v6 turns maintenance
 * notifications on for every RESP3 client (its default), and client-side caching or
 * invalidation events may be on too. None of them is of use on these connections.
 */
export function ownConnection(client: RedisClientLike, resp: 2 | 3): RedisClientLike {
  return client.duplicate({
    RESP: resp,
    maintNotifications: "disabled",
    clientSideCache: undefined,
    emitInvalidate: undefined,
  });
}
