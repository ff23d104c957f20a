import { randomUUID } from "node:crypto";
import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import { defaultGraphDirectory } from "../../retrieval/graph-files.js";
import type { Backend, Selection, Subscription, WriteOperation } from "../backend.js";
import { assertSameSpace } from "../embedding-space.js";
import { accessToucher } from "./access-touch.js";
import { type ChangeFeed, followChanges } from "./change-feed.js";
import { committer } from "./commit.js";
import { connect, disconnect, type RedisConnection, type RedisConnections } from "./connect.js";
import { redisConversations } from "./conversations/redis-conversations.js";
import { dropStore } from "./drop-store.js";
import { isEmptyFilter } from "./exact-scan.js";
import { serializeHistory } from "./history-json.js";
import { redisKeys } from "./keys.js";
import { knnPlanner } from "./knn-planner.js";
import { nearestBySearch, redisNearDuplicates } from "./near-duplicates.js";
import { type RedisBackendOptions, resolveRedisOptions } from "./options.js";
import { plainKeywords } from "./plain-keywords.js";
import { plainNeighbours } from "./plain-neighbours.js";
import { namespaceIds, plainReads } from "./plain-reads.js";
import { recordReads } from "./record-reads.js";
import type { RedisClientLike } from "./redis-client.js";
import { followStreams } from "./redis-subscription.js";
import { ScopeCache } from "./scope-cache.js";
import { ensureSearchIndex, indexSearch, knnSize } from "./search-mode.js";
import { indexCanFilter, type SearchIndex } from "./search-query.js";
import { redisFailure, retryWhileLoading } from "./transient-errors.js";
import { writeCommands } from "./write-commands.js";

/** What the connected server offers. */
export interface RedisCapabilities {
  /**
   * `search`: vector search runs in RediSearch (HNSW KNN with the scope as a prefilter).
   * `plain`: vector search runs in process. Keyword search (BM25 with the scope's own
   * statistics) runs in process in both. The API is the same; HNSW is approximate
   * (`hnsw.efRuntime` trades speed for recall).
   */
  mode: "search" | "plain";
  /** Whether the server has RediSearch 2.6 or later. */
  searchModule: boolean;
}

export type { RedisBackendOptions };

export type RedisBackend = Backend & {
  /** What the server offers and which mode is in use; `undefined` until opened. */
  readonly capabilities: RedisCapabilities | undefined;
  /** Deletes every key and index of this store (SCAN; for teardown, not request paths). */
  drop(): Promise<void>;
};

/**
 * Memories in Redis, on any Redis 7 (or Valkey) without modules: records are hashes with packed
 * FLOAT32 vectors, namespaces are sorted sets, every write is one MULTI/EXEC with its change
 * event appended to the tenant's stream. Pass a URL, or your own node-redis client (it is
 * never closed for you).
 */
export function redisBackend(
  connection: RedisConnection,
  rawOptions: RedisBackendOptions = {},
): RedisBackend {
  const options = resolveRedisOptions(rawOptions);
  const keys = redisKeys(options.prefix);
  const streamLength = String(options.eventStreamLength);
  const cache = new ScopeCache();
  const subscriptions = new Set<Subscription>();
  let connections: RedisConnections | undefined;
  let changes: ChangeFeed | undefined;
  let keyedQueue: Promise<unknown> = Promise.resolve();
  let capabilities: RedisCapabilities | undefined;
  let index: SearchIndex | undefined;
  const { hnsw } = options;
  let opening: Promise<void> | undefined;

  function ready(): RedisConnections {
    if (!connections) throw new EngramError("CLOSED", "The Redis backend is not open.");
    return connections;
  }

  async function wrap<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await retryWhileLoading(work, options.loadingWaitMs);
    } catch (error) {
      throw redisFailure(what, error);
    }
  }

  async function open(): Promise<void> {
    if (connections) return;
    opening ??= (async () => {
      const opened = await connect(connection, keys.root);
      const mode = opened.searchModule && options.mode !== "plain" ? "search" : "plain";
      capabilities = { mode, searchModule: opened.searchModule };
      options.log(
        mode === "search"
          ? "[engram] Redis: search mode (RediSearch found; vector search runs in the index)"
          : opened.searchModule
            ? "[engram] Redis: plain mode (RediSearch found but plain mode was asked for; scans run in process)"
            : "[engram] Redis: plain mode (no RediSearch 2.6+ module; scans run in process)",
      );
      connections = opened;
      // On a cluster a PING on the subscriber's node cannot prove that messages published on
      // the store's node arrived, so the cache checks version tokens on every read instead.
      changes = opened.cluster
        ? undefined
        : await followChanges(opened.client, keys, cache, options.log);
      try {
        const space = await backend.embeddingSpace();
        if (space) await useIndex(space.model, space.dimensions);
      } catch (error) {
        // Half open would mean search mode silently falling back to scans: close instead.
        connections = undefined;
        await changes?.close();
        changes = undefined;
        await disconnect(opened);
        throw error;
      }
    })();
    try {
      await wrap("connect", () => opening!);
    } finally {
      opening = undefined;
    }
  }

  const { readRecords, namespacesIn, entriesIn, load, live } = plainReads(
    () => ready().client,
    keys,
    cache,
  );

  const reads = recordReads(() => ready().client, keys, { readRecords, live });
  const neighbours = plainNeighbours(
    options.vectorIndexCache === false
      ? undefined
      : (options.vectorIndexCache ??
          defaultGraphDirectory(
            `redis:${"url" in connection ? connection.url : ""}:${options.prefix}`,
          )),
  );
  // Search mode's KNN policy, chosen from sizes seen before (no round trip of its own).
  const planner = knnPlanner();
  // Reads and uses share the base connection, so a recall's uses, sent without waiting, come
  // before any later read of this process.
  const toucher = accessToucher(() => ready().client, keys, cache);
  const searchVectorInIndex = indexSearch({
    accessPrefix: keys.access(""),
    records: live,
    log: options.log,
  });
  const keywords = plainKeywords();

  const { eventCommand, deleteCommands, putCommands } = writeCommands(
    keys,
    streamLength,
    () => connections?.cluster === true,
  );
  const near = redisNearDuplicates(() => ready().client, keys, readRecords);

  const commit = committer(keys, cache, options);

  const backend: RedisBackend = {
    name: "redis",
    get capabilities() {
      return capabilities;
    },
    open,
    // Conversations run on the backend's own RESP2 connection, whatever the caller's speaks.
    conversations: redisConversations(() => ready().writer, keys, wrap),

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
        await useIndex(space.model, space.dimensions);
      }),

    write(operations: readonly WriteOperation[]) {
      // WATCH state belongs to a connection and any EXEC on it clears it, so writes that
      // depend on a key run one at a time on a connection of their own; the rest pipeline.
      if (!operations.some((op) => op.type === "put" && op.memory.key !== undefined))
        return writeOn(() => ready().writer, operations);
      const run = keyedQueue.then(() => writeOn(() => ready().keyed, operations));
      keyedQueue = run.catch(() => undefined);
      return run;
    },

    get: (ids, now) => wrap("get", () => live(ids, now)),

    getByKey: (namespace, key, now) => wrap("get", () => reads.getByKey(namespace, key, now)),

    findByContentHash: (namespace, hashes, now) =>
      wrap("read", () => reads.findByContentHash(namespace, hashes, now)),

    // One script, sent and not waited for (see `accessToucher`): no round trip of its own.
    touch: (ids, at) => wrap("touch", async () => toucher.touch(ids, at)),

    history: (id) => wrap("read", () => reads.history(id)),

    findVectors: (model, hashes, tenant) =>
      wrap("read", () => reads.findVectors(model, hashes, tenant)),

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
        if (index && indexCanFilter(selection.filter)) {
          const { client, writer } = ready();
          const scopeKey = JSON.stringify([selection.scope.exact, selection.scope.prefixes]);
          const policy = isEmptyFilter(selection.filter)
            ? await planner.policy(writer, index, scopeKey, knnSize(limit), () =>
                scopeSize(selection.scope),
              )
            : ({ kind: "auto" } as const);
          // Only the hits are read, never the scope: a write elsewhere in it costs nothing here.
          return searchVectorInIndex(
            { reads: client, search: writer },
            index,
            selection,
            vector,
            limit,
            policy,
          );
        }
        const entries = await entriesIn(selection.scope);
        return neighbours.search(entries, vector, limit, selection.filter, selection.now);
      }),

    findNearDuplicates: (probes, threshold, now) =>
      wrap("search", () =>
        index
          ? nearestBySearch(backend.searchVector, probes, threshold, now)
          : near.find(probes, threshold, now),
      ),

    // Both modes: BM25 over the scope cache's inverted index, with the scope's own statistics
    // (RediSearch's cover the whole index, every tenant included).
    searchKeyword: (selection, terms, limit) =>
      wrap("search", async () => {
        const entries = await entriesIn(selection.scope);
        return keywords.search(entries, terms, limit, selection.filter, selection.now);
      }),

    selectIds: (selection) =>
      wrap("read", async () => (await load(selection)).map((row) => row.record.id)),

    namespaces: () =>
      wrap("read", async () => {
        const { client } = ready();
        // The set keeps every namespace that ever held a memory: report those that still do.
        const all = (await client.sendCommand(["ZRANGE", keys.namespaces, "0", "-1"])) as string[];
        const sizes = await Promise.all(
          all.map((namespace) => client.sendCommand(["ZCARD", keys.namespaceIds(namespace)])),
        );
        return all.filter((_, index) => Number(sizes[index]) > 0).sort();
      }),

    deleteSubtree: (prefix) =>
      wrap("delete", async () => {
        const { client } = ready();
        const namespaces = await namespacesIn({ exact: [], prefixes: [prefix] });
        const commands: string[][] = [];
        let count = 0;
        const now = Date.now();
        for (const namespace of namespaces) {
          const ids = await namespaceIds(client, keys, namespace);
          for (const { record } of await readRecords(ids, false)) {
            if (!record) continue;
            if (record.expiresAt === undefined || record.expiresAt.getTime() > now) count += 1;
            commands.push(
              ["DEL", keys.memory(record.id), keys.access(record.id)],
              ["HDEL", keys.vectorsByHash, `${record.embedding.model}|${record.contentHash}`],
              ...eventCommand("deleted", record, namespace, now, undefined),
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
        if (commands.length > 0) commands.push(near.eraseCommand());
        if (commands.length > 0)
          await commit(
            ready().writer,
            new Map(namespaces.map((namespace) => [namespace, undefined])),
            commands,
            [],
            true,
          );
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

    drop: () =>
      wrap("drop", async () => {
        await open();
        await toucher.settled();
        await dropStore(ready().writer, keys, capabilities?.searchModule === true);
        cache.clear();
        near.clear();
        neighbours.clear();
        keywords.clear();
        planner.clear();
        index = undefined;
      }),

    async close() {
      await opening?.catch(() => undefined);
      await toucher.settled();
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      subscriptions.clear();
      await changes?.close();
      changes = undefined;
      cache.clear();
      near.clear();
      neighbours.persist();
      neighbours.clear();
      keywords.clear();
      planner.clear();
      if (connections) await disconnect(connections);
      connections = undefined;
      index = undefined;
    },
  };

  function writeOn(connection: () => RedisClientLike, operations: readonly WriteOperation[]) {
    return wrap("write", async () => {
      // Writes go out on other connections than uses: a use recorded before must land first
      // (a put starts the memory's access hash over).
      await toucher.settled();
      const writer = connection();
      // One fresh version token per namespace this write touches.
      const touchedNamespaces = new Map<string, string>();
      const versionOf = (namespace: string) => {
        const version = touchedNamespaces.get(namespace) ?? randomUUID();
        touchedNamespaces.set(namespace, version);
        return version;
      };
      const watched: string[] = [];
      const commands: (string | Buffer)[][] = [];
      for (const operation of operations) {
        if (operation.type === "put") {
          const { memory } = operation;
          const namespace = encodeNamespace(memory.namespace);
          const version = versionOf(namespace);
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
          commands.push(
            ...near.withSignature(
              putCommands(memory, namespace, operation.created, version),
              memory,
            ),
          );
        } else if (operation.type === "delete") {
          const stored = (await readRecords([operation.id], false))[0]?.record;
          if (!stored) continue;
          const namespace = encodeNamespace(stored.namespace);
          const version = versionOf(namespace);
          const [keyHolder, hashHolder] = await Promise.all([
            stored.key === undefined
              ? null
              : (writer.sendCommand(["HGET", keys.namespaceKeys(namespace), stored.key]) as Promise<
                  string | null
                >),
            writer.sendCommand([
              "HGET",
              keys.namespaceHashes(namespace),
              stored.contentHash,
            ]) as Promise<string | null>,
          ]);
          commands.push(...deleteCommands(stored, keyHolder, hashHolder, version));
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
      commands.push(...near.writeCommands(operations));
      await commit(writer, touchedNamespaces, commands, watched);
      await near.afterWrite(operations);
    });
  }

  /** How many memories the scope's namespaces hold (expired ones not yet forgotten included). */
  async function scopeSize(scope: Selection["scope"]): Promise<number> {
    const client = ready().client;
    const namespaces = await namespacesIn(scope);
    const sizes = await Promise.all(
      namespaces.map((namespace) => client.sendCommand(["ZCARD", keys.namespaceIds(namespace)])),
    );
    return sizes.reduce<number>((sum, size) => sum + Number(size), 0);
  }

  /** In search mode, makes sure the index for this model exists, once per backend. */
  async function useIndex(model: string, dimensions: number): Promise<void> {
    if (capabilities?.mode !== "search" || index) return;
    const wanted = {
      name: keys.searchIndex(model),
      keyPrefix: keys.memoryPrefix,
      dimensions,
      hnsw,
    };
    const { writer } = ready();
    // A namespace is recorded with a store's first memory (and never removed while one lives).
    await ensureSearchIndex(
      writer,
      wanted,
      async () => Number(await writer.sendCommand(["ZCARD", keys.namespaces])) === 0,
    );
    index = wanted;
  }

  return backend;
}
