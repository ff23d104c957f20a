import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import { encodedIsWithin, type ResolvedScope } from "../../namespace/scope.js";
import type { MemoryRecord, StoredMemory } from "../../record/memory-record.js";
import { deserializeRecord, serializeRecord } from "../../record/serialize.js";
import { bm25, toBm25Document } from "../../retrieval/bm25.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { dot, TopK } from "../../retrieval/vector-math.js";
import type {
  Backend,
  HistoryEntry,
  MemoryEvent,
  Selection,
  Subscription,
  WriteOperation,
} from "../backend.js";
import { assertSameSpace } from "../embedding-space.js";
import { redisKeys, tenantOf } from "./keys.js";
import { hashToRecord, hashToVector, RECORD_FIELDS, recordToHash } from "./record-hash.js";
import { AS_BUFFERS, type RedisClientLike } from "./redis-client.js";
import { followStreams } from "./redis-subscription.js";
import { ScopeCache } from "./scope-cache.js";

export interface RedisBackendOptions {
  /** Every key starts with `{prefix}:`; default `"engram"`. */
  prefix?: string;
  /** Events each tenant's stream keeps (approximately, MAXLEN ~); default 100,000. */
  eventStreamLength?: number;
  /** Where the one line about the detected mode goes; default console.info. */
  log?: (message: string) => void;
}

/** What the connected server offers. */
export interface RedisCapabilities {
  /** `plain`: exact scans in process. (Search mode over RediSearch is not built yet.) */
  mode: "plain";
  /** Whether the server has RediSearch 2.6 or later. */
  searchModule: boolean;
}

export type RedisBackend = Backend & { readonly capabilities: RedisCapabilities | undefined };

const FIELDS_WITH_VECTOR = [...RECORD_FIELDS, "vector"];

/**
 * Memories in Redis, on any Redis 7 (or Valkey) without modules: records are hashes with packed
 * FLOAT32 vectors, namespaces are sorted sets, every write is one MULTI/EXEC with its change
 * event appended to the tenant's stream. Pass a URL, or your own node-redis client (it is
 * never closed for you).
 */
export function redisBackend(
  connection: { url: string } | { client: RedisClientLike },
  options: RedisBackendOptions = {},
): RedisBackend {
  const keys = redisKeys(options.prefix ?? "engram");
  const streamLength = String(options.eventStreamLength ?? 100_000);
  const cache = new ScopeCache();
  const subscriptions = new Set<Subscription>();
  let client: RedisClientLike | undefined;
  let writer: RedisClientLike | undefined;
  let owned = false;
  let capabilities: RedisCapabilities | undefined;
  let opening: Promise<void> | undefined;

  function ready(): { client: RedisClientLike; writer: RedisClientLike } {
    if (!client || !writer) throw new EngramError("CLOSED", "The Redis backend is not open.");
    return { client, writer };
  }

  async function wrap<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (EngramError.isInstance(error)) throw error;
      throw new EngramError("BACKEND_ERROR", `Redis ${what} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async function open(): Promise<void> {
    if (client) return;
    opening ??= (async () => {
      let base: RedisClientLike;
      if ("client" in connection) {
        base = connection.client;
        if (!base.isOpen) await base.connect();
      } else {
        const { createClient } = await import("redis");
        base = createClient({ url: connection.url }) as unknown as RedisClientLike;
        base.on("error", reportConnectionError);
        await base.connect();
        owned = true;
      }
      // WATCH belongs to a connection, so writes get one of their own.
      const ownWriter = base.duplicate();
      ownWriter.on("error", reportConnectionError);
      await ownWriter.connect();
      const modules = (await base.sendCommand(["MODULE", "LIST"])) as unknown[][];
      const search = modules.some((module) => {
        const fields = module as unknown[];
        const name = String(fields[fields.indexOf("name") + 1] ?? "");
        const version = Number(fields[fields.indexOf("ver") + 1] ?? 0);
        return (name === "search" || name === "ft") && version >= 20600;
      });
      capabilities = { mode: "plain", searchModule: search };
      (options.log ?? console.info)(
        search
          ? "[engram] Redis: plain mode (RediSearch found; search mode is not built yet, so scans run in process)"
          : "[engram] Redis: plain mode (no RediSearch module; scans run in process)",
      );
      client = base;
      writer = ownWriter;
    })();
    try {
      await wrap("connect", () => opening!);
    } finally {
      opening = undefined;
    }
  }

  async function readRecords(ids: readonly string[], withVectors: boolean) {
    const { client } = ready();
    const fields = withVectors ? FIELDS_WITH_VECTOR : [...RECORD_FIELDS];
    const replies = (await Promise.all(
      ids.map((id) => client.sendCommand(["HMGET", keys.memory(id), ...fields], AS_BUFFERS)),
    )) as (Buffer | null)[][];
    return replies.map((values) => ({
      record: hashToRecord(values.slice(0, RECORD_FIELDS.length)),
      vector: withVectors ? hashToVector(values[RECORD_FIELDS.length]) : undefined,
    }));
  }

  /** Encoded namespaces in scope that have ever held a memory. */
  async function namespacesIn(scope: ResolvedScope): Promise<string[]> {
    const { client } = ready();
    const found = new Set(scope.exact);
    for (const prefix of scope.prefixes) {
      found.add(prefix);
      const below = (await client.sendCommand([
        "ZRANGE",
        keys.namespaces,
        `[${prefix}/`,
        `(${prefix}0`,
        "BYLEX",
      ])) as string[];
      for (const namespace of below) if (encodedIsWithin(namespace, prefix)) found.add(namespace);
    }
    return [...found];
  }

  /** Every live record (and vector) in scope, through the cache. */
  async function load(selection: Selection) {
    const { client } = ready();
    cache.validate(String((await client.sendCommand(["GET", keys.version])) ?? "0"));
    const out: { record: MemoryRecord; vector: Float32Array | undefined }[] = [];
    for (const namespace of await namespacesIn(selection.scope)) {
      let entry = cache.get(namespace);
      if (!entry) {
        const ids = (await client.sendCommand([
          "ZRANGE",
          keys.namespaceIds(namespace),
          "0",
          "-1",
        ])) as string[];
        entry = { records: new Map(), vectors: new Map() };
        for (const { record, vector } of await readRecords(ids, true)) {
          if (!record) continue;
          entry.records.set(record.id, record);
          if (vector) entry.vectors.set(record.id, vector);
        }
        cache.set(namespace, entry);
      }
      for (const record of entry.records.values()) {
        if (matchesFilter(record, selection.filter, selection.now))
          out.push({ record, vector: entry.vectors.get(record.id) });
      }
    }
    return out;
  }

  async function live(ids: readonly string[], now: number): Promise<(MemoryRecord | undefined)[]> {
    return (await readRecords(ids, false)).map(({ record }) =>
      record && (record.expiresAt === undefined || record.expiresAt.getTime() > now)
        ? record
        : undefined,
    );
  }

  function eventCommand(
    type: MemoryEvent["type"],
    record: { id: string; kind: string },
    namespace: string,
    at: number,
  ) {
    const fields = [
      "type",
      type,
      "id",
      record.id,
      "namespace",
      namespace,
      "kind",
      record.kind,
      "at",
      String(at),
    ];
    return [
      ["XADD", keys.events(tenantOf(namespace)), "MAXLEN", "~", streamLength, "*", ...fields],
      [
        "PUBLISH",
        keys.channel(namespace),
        JSON.stringify({ type, id: record.id, namespace, kind: record.kind, at }),
      ],
    ];
  }

  function deleteCommands(
    record: MemoryRecord,
    keyHolder: string | null,
    hashHolder: string | null,
  ): string[][] {
    const namespace = encodeNamespace(record.namespace);
    const commands = [
      ["DEL", keys.memory(record.id)],
      ["ZREM", keys.namespaceIds(namespace), record.id],
      ...eventCommand("deleted", record, namespace, Date.now()),
    ];
    if (record.key !== undefined && keyHolder === record.id)
      commands.push(["HDEL", keys.namespaceKeys(namespace), record.key]);
    if (hashHolder === record.id)
      commands.push(["HDEL", keys.namespaceHashes(namespace), record.contentHash]);
    // Erased means erased: not even the content's hash stays behind.
    commands.push(["HDEL", keys.vectorsByHash, `${record.embedding.model}|${record.contentHash}`]);
    return commands;
  }

  async function commit(
    touchedNamespaces: Set<string>,
    commands: (string | Buffer)[][],
    watched: string[],
  ): Promise<void> {
    const { writer } = ready();
    const multi = writer.multi();
    for (const command of commands) multi.addCommand(command);
    multi.addCommand(["INCR", keys.version]);
    let replies: unknown;
    try {
      replies = await multi.exec();
    } catch (error) {
      if ((error as Error).name === "WatchError" || /watch/i.test((error as Error).message)) {
        throw new EngramError("CONFLICT", "Another writer changed a key this write depends on.", {
          cause: error,
        });
      }
      throw error;
    } finally {
      if (watched.length > 0) await writer.sendCommand(["UNWATCH"]).catch(() => undefined);
    }
    const version = (replies as unknown[]).at(-1);
    cache.afterWrite(touchedNamespaces, String(version));
  }

  const backend: RedisBackend = {
    name: "redis",
    get capabilities() {
      return capabilities;
    },
    open,

    embeddingSpace: () =>
      wrap("read", async () => {
        const [model, dimensions] = (await ready().client.sendCommand([
          "HMGET",
          keys.meta,
          "model",
          "dimensions",
        ])) as (string | null)[];
        return model && dimensions ? { model, dimensions: Number(dimensions) } : undefined;
      }),

    bindEmbeddingSpace: (space) =>
      wrap("bind", async () => {
        const { client } = ready();
        const created = await client.sendCommand(["HSETNX", keys.meta, "model", space.model]);
        if (Number(created) === 1)
          await client.sendCommand(["HSET", keys.meta, "dimensions", String(space.dimensions)]);
        const bound = await backend.embeddingSpace();
        if (bound) assertSameSpace(bound, space, `Redis prefix ${keys.meta}`);
      }),

    write: (operations: readonly WriteOperation[]) =>
      wrap("write", async () => {
        const { writer } = ready();
        const touchedNamespaces = new Set<string>();
        const watched: string[] = [];
        const commands: (string | Buffer)[][] = [];
        for (const operation of operations) {
          if (operation.type === "put") {
            const { memory } = operation;
            const namespace = encodeNamespace(memory.namespace);
            touchedNamespaces.add(namespace);
            if (memory.key !== undefined) {
              // Optimistic: if another writer maps this key between here and EXEC, EXEC fails.
              await writer.watch(keys.namespaceKeys(namespace));
              watched.push(keys.namespaceKeys(namespace));
              const holder = (await writer.sendCommand([
                "HGET",
                keys.namespaceKeys(namespace),
                memory.key,
              ])) as string | null;
              if (holder && holder !== memory.id) {
                const [alive] = await live([holder], memory.updatedAt.getTime());
                if (alive && alive.key === memory.key) {
                  await writer.sendCommand(["UNWATCH"]);
                  throw new EngramError(
                    "CONFLICT",
                    "Another writer stored a memory with the same key first.",
                  );
                }
              }
            }
            commands.push(...putCommands(memory, namespace, operation.created));
          } else if (operation.type === "delete") {
            const stored = (await readRecords([operation.id], false))[0]?.record;
            if (!stored) continue;
            const namespace = encodeNamespace(stored.namespace);
            touchedNamespaces.add(namespace);
            const [keyHolder, hashHolder] = await Promise.all([
              stored.key === undefined
                ? null
                : (writer.sendCommand([
                    "HGET",
                    keys.namespaceKeys(namespace),
                    stored.key,
                  ]) as Promise<string | null>),
              writer.sendCommand([
                "HGET",
                keys.namespaceHashes(namespace),
                stored.contentHash,
              ]) as Promise<string | null>,
            ]);
            commands.push(...deleteCommands(stored, keyHolder, hashHolder));
          } else {
            const { entry } = operation;
            const namespace = encodeNamespace(entry.namespace);
            commands.push(["RPUSH", keys.history(entry.memoryId), serializeHistory(entry)]);
            commands.push(["SADD", keys.namespaceHistory(namespace), entry.memoryId]);
          }
        }
        if (commands.length === 0) {
          if (watched.length > 0) await writer.sendCommand(["UNWATCH"]);
          return;
        }
        await commit(touchedNamespaces, commands, watched);
      }),

    get: (ids, now) => wrap("get", () => live(ids, now)),

    getByKey: (namespace, key, now) =>
      wrap("get", async () => {
        const id = (await ready().client.sendCommand([
          "HGET",
          keys.namespaceKeys(namespace),
          key,
        ])) as string | null;
        if (!id) return undefined;
        const [record] = await live([id], now);
        return record && record.key === key && encodeNamespace(record.namespace) === namespace
          ? record
          : undefined;
      }),

    findByContentHash: (namespace, hashes, now) =>
      wrap("read", async () => {
        if (hashes.length === 0) return [];
        const ids = (await ready().client.sendCommand([
          "HMGET",
          keys.namespaceHashes(namespace),
          ...hashes,
        ])) as (string | null)[];
        const records = await live(
          ids.filter((id): id is string => id !== null),
          now,
        );
        return records.filter(
          (record): record is MemoryRecord =>
            record !== undefined &&
            encodeNamespace(record.namespace) === namespace &&
            hashes.includes(record.contentHash),
        );
      }),

    touch: (ids, at) =>
      wrap("touch", async () => {
        if (ids.length === 0) return;
        const { client } = ready();
        // Only existing hashes: HINCRBY on a deleted memory would resurrect a stub.
        await Promise.all(
          ids.map((id) =>
            client.sendCommand([
              "EVAL",
              "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'lastAccessedAt', ARGV[1]); redis.call('HINCRBY', KEYS[1], 'accessCount', 1) end",
              "1",
              keys.memory(id),
              String(at),
            ]),
          ),
        );
        cache.touch(ids, new Date(at));
      }),

    history: (id) =>
      wrap("read", async () => {
        const entries = (await ready().client.sendCommand([
          "LRANGE",
          keys.history(id),
          "0",
          "-1",
        ])) as string[];
        return entries.map(deserializeHistory);
      }),

    findVectors: (model, hashes) =>
      wrap("read", async () => {
        if (hashes.length === 0) return new Map();
        const ids = (await ready().client.sendCommand([
          "HMGET",
          keys.vectorsByHash,
          ...hashes.map((hash) => `${model}|${hash}`),
        ])) as (string | null)[];
        const found = new Map<string, Float32Array>();
        const present = ids.flatMap((id, index) => (id ? [{ id, hash: hashes[index]! }] : []));
        const rows = await readRecords(
          present.map((entry) => entry.id),
          true,
        );
        rows.forEach(({ record, vector }, index) => {
          if (record && vector && record.contentHash === present[index]!.hash)
            found.set(present[index]!.hash, vector);
        });
        return found;
      }),

    list: (selection, { limit, before }) =>
      wrap("list", async () => {
        const rows = (await load(selection)).map((row) => row.record);
        return rows
          .filter((record) => before === undefined || record.id < before)
          .sort((a, b) => (a.id < b.id ? 1 : -1))
          .slice(0, limit);
      }),

    searchVector: (selection, vector, limit) =>
      wrap("search", async () => {
        const top = new TopK<MemoryRecord>(limit);
        for (const row of await load(selection)) {
          if (row.vector && row.vector.length === vector.length)
            top.push(dot(vector, row.vector), row.record);
        }
        return top.sorted().map(({ score, item }) => ({ memory: item, score }));
      }),

    searchKeyword: (selection, terms, limit) =>
      wrap("search", async () => {
        const documents = (await load(selection)).map((row) =>
          toBm25Document(row.record, row.record.content),
        );
        return bm25(documents, terms, limit).map(({ item, score }) => ({ memory: item, score }));
      }),

    selectIds: (selection) =>
      wrap("read", async () => (await load(selection)).map((row) => row.record.id)),

    deleteSubtree: (prefix) =>
      wrap("delete", async () => {
        const { client } = ready();
        const namespaces = await namespacesIn({ exact: [], prefixes: [prefix] });
        const commands: string[][] = [];
        let count = 0;
        const now = Date.now();
        for (const namespace of namespaces) {
          const ids = (await client.sendCommand([
            "ZRANGE",
            keys.namespaceIds(namespace),
            "0",
            "-1",
          ])) as string[];
          for (const { record } of await readRecords(ids, false)) {
            if (!record) continue;
            if (record.expiresAt === undefined || record.expiresAt.getTime() > now) count += 1;
            commands.push(
              ["DEL", keys.memory(record.id)],
              ["HDEL", keys.vectorsByHash, `${record.embedding.model}|${record.contentHash}`],
              ...eventCommand("deleted", record, namespace, now),
            );
          }
          const historyIds = (await client.sendCommand([
            "SMEMBERS",
            keys.namespaceHistory(namespace),
          ])) as string[];
          for (const id of historyIds) commands.push(["DEL", keys.history(id)]);
          commands.push(
            [
              "DEL",
              keys.namespaceIds(namespace),
              keys.namespaceKeys(namespace),
              keys.namespaceHashes(namespace),
              keys.namespaceHistory(namespace),
            ],
            ["ZREM", keys.namespaces, namespace],
          );
        }
        if (commands.length > 0) await commit(new Set(namespaces), commands, []);
        return count;
      }),

    subscribe: async (scope, handler, subscribeOptions) => {
      await open();
      const subscription = await wrap("subscribe", () =>
        followStreams(ready().client, keys, scope, handler, subscribeOptions),
      );
      subscriptions.add(subscription);
      return {
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },

    async close() {
      await opening?.catch(() => undefined);
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      subscriptions.clear();
      cache.clear();
      if (writer?.isOpen) await writer.close();
      if (owned && client?.isOpen) await client.close();
      client = writer = undefined;
    },
  };

  function putCommands(
    memory: StoredMemory,
    namespace: string,
    created: boolean,
  ): (string | Buffer)[][] {
    const commands: (string | Buffer)[][] = [
      ["DEL", keys.memory(memory.id)],
      ["HSET", keys.memory(memory.id), ...recordToHash(memory)],
      ["ZADD", keys.namespaceIds(namespace), "0", memory.id],
      ["ZADD", keys.namespaces, "0", namespace],
      ["HSET", keys.namespaceHashes(namespace), memory.contentHash, memory.id],
      ["HSET", keys.vectorsByHash, `${memory.embedding.model}|${memory.contentHash}`, memory.id],
      ...eventCommand(
        created ? "created" : "updated",
        memory,
        namespace,
        memory.updatedAt.getTime(),
      ),
    ];
    if (memory.key !== undefined)
      commands.push(["HSET", keys.namespaceKeys(namespace), memory.key, memory.id]);
    if (memory.expiresAt)
      commands.push(["PEXPIREAT", keys.memory(memory.id), String(memory.expiresAt.getTime())]);
    return commands;
  }

  return backend;
}

// node-redis reconnects by itself; an unheard "error" event would crash the process instead.
function reportConnectionError(error: Error): void {
  console.warn(`[engram] Redis connection problem (reconnecting): ${error.message}`);
}

function serializeHistory(entry: HistoryEntry): string {
  return JSON.stringify({
    memoryId: entry.memoryId,
    namespace: entry.namespace,
    action: entry.action,
    before: entry.before ? serializeRecord(entry.before) : null,
    after: entry.after ? serializeRecord(entry.after) : null,
    at: entry.at.getTime(),
  });
}

function deserializeHistory(json: string): HistoryEntry {
  const raw = JSON.parse(json);
  return {
    memoryId: raw.memoryId,
    namespace: Object.freeze(raw.namespace),
    action: raw.action,
    before: raw.before === null ? undefined : deserializeRecord(raw.before),
    after: raw.after === null ? undefined : deserializeRecord(raw.after),
    at: new Date(raw.at),
  };
}
