import type { OwnConnectionOptions, RedisClientLike, RedisMultiLike } from "./redis-client.js";

type Args = readonly (string | Buffer)[];
type Options = { typeMapping?: Record<number, unknown>; timeout?: number };

/** The parts of a node-redis cluster client (`createCluster`, v5 or v6) the backend uses. */
export interface RedisClusterLike {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  on(event: string, listener: (error: Error) => void): unknown;
  sendCommand(
    firstKey: string | Buffer | undefined,
    isReadonly: boolean | undefined,
    args: Args,
    options?: Options,
  ): Promise<unknown>;
  duplicate(overrides?: Record<string, unknown>): RedisClusterLike;
  multi(routing?: string | Buffer): {
    addCommand(
      firstKey: string | Buffer | undefined,
      isReadonly: boolean | undefined,
      args: Args,
    ): unknown;
    exec(): Promise<unknown>;
  };
  getSlotMaster(slot: number): unknown;
  readonly masters: readonly unknown[];
  nodeClient(node: never): Promise<RedisClientLike>;
  pSubscribe(
    pattern: string,
    listener: (message: string, channel: string) => unknown,
  ): Promise<unknown>;
}

/** Whether a caller's client is a cluster client (`createCluster`) rather than a plain one. */
export function isClusterClient(client: unknown): client is RedisClusterLike {
  const candidate = client as Partial<RedisClusterLike> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.getSlotMaster === "function" &&
    typeof candidate.nodeClient === "function"
  );
}

// CRC16/XMODEM, the hash Redis Cluster maps keys to its 16,384 slots with.
const CRC_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
})();

/** The cluster slot of a key: CRC16 of its hash tag (the first non-empty `{...}`) or itself. */
export function keySlot(key: string): number {
  let hashed = key;
  const open = key.indexOf("{");
  if (open !== -1) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) hashed = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of Buffer.from(hashed))
    crc = ((crc << 8) ^ CRC_TABLE[((crc >> 8) ^ byte) & 0xff]!) & 0xffff;
  return crc % 16_384;
}

/**
 * A cluster client seen as the one plain client the backend was written for. Each command goes
 * to the master of its first key's slot (keyless ones, such as MODULE LIST, to any node), and
 * node-redis follows MOVED and ASK redirections. A transaction goes to its first command's key:
 * the backend keeps every transaction within one tenant's hash tag. One that WATCHes a key runs
 * on that key's master's own connection, since WATCH state belongs to a connection.
 * `routing` reaches single nodes, for the commands that name no key (FT.*, SCAN).
 */
export function clusterConnection(cluster: RedisClusterLike): RedisClientLike {
  let watching: RedisClientLike | undefined;
  const nodeOf = (key: string) =>
    cluster.nodeClient(cluster.getSlotMaster(keySlot(key)) as never) as Promise<RedisClientLike>;
  const connection: RedisClientLike = {
    get isOpen() {
      return cluster.isOpen;
    },
    connect: () => cluster.connect(),
    close: () => cluster.close(),
    destroy: () => cluster.destroy(),
    on(event, listener) {
      // A cluster reports each node's failures as "node-error" and has no single "ready".
      const mapped = event === "error" ? "node-error" : event === "ready" ? "connect" : event;
      return cluster.on(mapped, listener);
    },
    sendCommand(args, options) {
      if (watching) {
        const node = watching;
        if (String(args[0]).toUpperCase() === "UNWATCH") watching = undefined;
        return node.sendCommand(args, options);
      }
      return cluster.sendCommand(firstKeyOf(args), false, args, options);
    },
    duplicate(overrides?: OwnConnectionOptions) {
      // Client-side caching and maintenance notifications are per node client in a cluster.
      const { RESP } = overrides ?? {};
      return clusterConnection(cluster.duplicate(RESP ? { RESP } : {}));
    },
    async watch(keys) {
      const list = typeof keys === "string" ? [keys] : keys;
      watching = await nodeOf(list[0]!);
      return watching.watch(keys);
    },
    multi(): RedisMultiLike {
      const commands: (string | Buffer)[][] = [];
      return {
        addCommand(args) {
          commands.push(args);
        },
        async exec() {
          const node = watching;
          watching = undefined;
          if (node) {
            const multi = node.multi();
            for (const args of commands) multi.addCommand(args);
            return multi.exec();
          }
          const routing = commands.map(firstKeyOf).find((key) => key !== undefined);
          const multi = cluster.multi(routing);
          for (const args of commands) multi.addCommand(firstKeyOf(args), false, args);
          return multi.exec();
        },
      };
    },
    pSubscribe: (pattern, listener) => cluster.pSubscribe(pattern, listener),
    routing: {
      nodeOf,
      ownerOf: (key) => (cluster.getSlotMaster(keySlot(key)) as { address: string }).address,
      addresses: () => cluster.masters.map((master) => (master as { address: string }).address),
      node(address) {
        const master = cluster.masters.find(
          (each) => (each as { address: string }).address === address,
        );
        if (!master) throw new Error(`No cluster master at ${address}`);
        return cluster.nodeClient(master as never) as Promise<RedisClientLike>;
      },
      masters: () =>
        Promise.all(
          cluster.masters.map(
            (master) => cluster.nodeClient(master as never) as Promise<RedisClientLike>,
          ),
        ),
    },
  };
  return connection;
}

// Commands whose keys follow a count (EVAL script numkeys key...).
const NUMKEYS_AT = new Map([
  ["EVAL", 2],
  ["EVALSHA", 2],
  ["EVAL_RO", 2],
  ["EVALSHA_RO", 2],
  ["FCALL", 2],
  ["FCALL_RO", 2],
]);
// Commands without a key: they may go to any node.
const KEYLESS = new Set([
  "PING",
  "INFO",
  "SCRIPT",
  "FUNCTION",
  "MODULE",
  "CLUSTER",
  "WAIT",
  "COMMAND",
]);

/** The key a command's node is chosen by: its first key, or none for a keyless command. */
export function firstKeyOf(args: readonly (string | Buffer)[]): string | Buffer | undefined {
  const name = String(args[0]).toUpperCase();
  if (KEYLESS.has(name)) return undefined;
  const at = NUMKEYS_AT.get(name);
  if (at !== undefined) return Number(args[at]) > 0 ? args[at + 1] : undefined;
  if (name === "XREAD" || name === "XREADGROUP") {
    const streams = args.findIndex((arg) => String(arg).toUpperCase() === "STREAMS");
    return streams === -1 ? undefined : args[streams + 1];
  }
  return args[1];
}

/**
 * A cluster client seen as a plain one whose commands go where their first key lives, for
 * code whose every command and transaction stays within one hash tag (LangGraph's RedisSaver
 * tags keys per thread). A transaction goes to its first command's key.
 */
export function keyRoutedClient(cluster: RedisClusterLike): RedisClientLike {
  return clusterConnection(cluster);
}
