import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { defaultGraphDirectory } from "../../retrieval/graph-files.js";
import type {
  Backend,
  SearchCandidate,
  Selection,
  Subscription,
  WriteOperation,
} from "../backend.js";
import { accessToucher } from "./access-touch.js";
import { type ChangeFeed, followChanges } from "./change-feed.js";
import { committer } from "./commit.js";
import { connect, disconnect, type RedisConnection, type RedisConnections } from "./connect.js";
import { redisConversations } from "./conversations/redis-conversations.js";
import { dropStore } from "./drop-store.js";
import { isEmptyFilter } from "./exact-scan.js";
import { redisKeys } from "./keys.js";
import { knnPlanner } from "./knn-planner.js";
import { assertCurrentLayout } from "./legacy-layout.js";
import { namespaceSnapshots } from "./namespace-snapshots.js";
import { nearestBySearch, redisNearDuplicates } from "./near-duplicates.js";
import { type RedisBackendOptions, resolveRedisOptions } from "./options.js";
import { plainKeywords } from "./plain-keywords.js";
import { plainNeighbours } from "./plain-neighbours.js";
import { plainReads } from "./plain-reads.js";
import { recordReads } from "./record-reads.js";
import type { RedisClientLike } from "./redis-client.js";
import { followStreams } from "./redis-subscription.js";
import { ScopeCache } from "./scope-cache.js";
import { knnCandidates, redisCandidates } from "./search-candidates.js";
import { indexSearch, knnHits, knnSize } from "./search-mode.js";
import { indexCanFilter, type KnnPolicy, type SearchIndex } from "./search-query.js";
import { type IndexOnNode, searchRouting } from "./search-routing.js";
import { assertTenantSegments, bindSpace, readSpace } from "./store-meta.js";
import { subtreeAdmin } from "./subtree-admin.js";
import { tenantDirectory } from "./tenant-directory.js";
import { tenantsOfScope } from "./tenant-scope.js";
import { redisFailure, retryWhileLoading } from "./transient-errors.js";
import { writeCommands } from "./write-commands.js";
import { writePath } from "./write-path.js";

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
 * FLOAT32 vectors, namespaces are sorted sets, every write is one MULTI/EXEC per tenant (in the
 * tenant's cluster slot) with its change event appended to the tenant's stream. Pass a URL,
 * cluster node URLs, or your own node-redis client (it is never closed for you).
 */
export function redisBackend(
  connection: RedisConnection,
  rawOptions: RedisBackendOptions = {},
): RedisBackend {
  const options = resolveRedisOptions(rawOptions);
  const keys = redisKeys(options.prefix, options.tenantSegments);
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
      const opened = await connect(connection);
      const mode = opened.searchModule && options.mode !== "plain" ? "search" : "plain";
      capabilities = { mode, searchModule: opened.searchModule };
      options.log(
        mode === "search"
          ? opened.searchCoordinator
            ? "[engram] Redis: search mode (RediSearch coordinator found; one index spans the cluster)"
            : "[engram] Redis: search mode (RediSearch found; vector search runs in the index)"
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
        // Its own retries: a LOADING answer here must not fail the whole (shared) open.
        await wrap("connect", () => assertCurrentLayout(opened.client, options.prefix));
        await wrap("connect", () => assertTenantSegments(opened.client, keys));
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

  // Saved graphs and plain mode's saved namespaces go here (none with `false`).
  const cacheDirectory =
    options.vectorIndexCache === false
      ? undefined
      : (options.vectorIndexCache ??
        defaultGraphDirectory(
          `redis:${"url" in connection ? connection.url : ""}:${options.prefix}`,
        ));
  const snapshots = namespaceSnapshots(cacheDirectory);
  const directory = tenantDirectory(() => ready().client, keys);
  const {
    readRecords,
    namespacesIn,
    entriesIn,
    withEntries,
    vouching,
    heldEntries,
    load,
    live,
    liveVectors,
  } = plainReads(() => ready().client, keys, cache, directory, snapshots);

  const reads = recordReads(() => ready().client, keys, { readRecords, live }, directory);
  const neighbours = plainNeighbours(cacheDirectory);
  // Search mode's KNN policy, chosen from sizes seen before (no round trip of its own).
  const planner = knnPlanner();
  // Reads and uses share the base connection, so a recall's uses, sent without waiting, come
  // before any later read of this process.
  const toucher = accessToucher(() => ready().client, keys, cache);
  const searchVectorInIndex = indexSearch({
    accessPrefix: keys.accessPrefix,
    records: live,
    log: options.log,
  });
  const keywords = plainKeywords();

  const commands = writeCommands(keys, streamLength, () => connections?.cluster === true);
  const near = redisNearDuplicates(() => ready().client, keys, readRecords);
  const commit = committer(keys, cache, options);
  const routing = searchRouting(keys, () => connections?.searchCoordinator === true);

  /**
   * Runs a search on the index copies holding the scope's tenants: on one server, or one
   * master, with the planner's policy; scattered over several masters, each with RediSearch's
   * own, and gathered to the best `limit` (by score, then id, as every backend orders).
   */
  async function inIndex<T>(
    searched: SearchIndex,
    selection: Selection,
    limit: number,
    run: (copy: IndexOnNode, policy: KnnPolicy) => Promise<T[]>,
    idOf: (hit: T) => string,
    scoreOf: (hit: T) => number,
  ): Promise<T[]> {
    const copies = await routing.nodesFor(ready().writer, searched, selection.scope);
    if (copies.length > 1) {
      const results = await Promise.all(
        copies.map((copy) => routing.searchOn(copy, (found) => run(found, { kind: "auto" }))),
      );
      return results
        .flat()
        .sort((a, b) => scoreOf(b) - scoreOf(a) || (idOf(a) < idOf(b) ? 1 : -1))
        .slice(0, limit);
    }
    const scopeKey = JSON.stringify([selection.scope.exact, selection.scope.prefixes]);
    return routing.searchOn(copies[0]!, async (copy) => {
      const policy = isEmptyFilter(selection.filter)
        ? await planner.policy(copy.node, copy.index, scopeKey, knnSize(limit), () =>
            scopeSize(selection.scope),
          )
        : ({ kind: "auto" } as const);
      return run(copy, policy);
    });
  }

  // Hits carry their namespace, so their tenant: the recall's touch of them then needs no
  // directory read (a namespace loaded from a saved snapshot has read no directory entry).
  function knownTenants<T extends { memory: MemoryRecord }>(hits: T[]): T[] {
    for (const { memory } of hits)
      directory.remember(memory.id, keys.tenantOf(encodeNamespace(memory.namespace)));
    return hits;
  }
  function knownCandidates(hits: SearchCandidate[]): SearchCandidate[] {
    for (const hit of hits) directory.remember(hit.id, keys.tenantOf(hit.namespace));
    return hits;
  }

  const candidates = redisCandidates({
    knn: (selection, vector, limit) =>
      index && indexCanFilter(selection.filter)
        ? inIndex(
            index,
            selection,
            limit,
            (copy, policy) => knnHits(copy.node, copy.index, selection, vector, limit, policy),
            (hit) => hit.id,
            (hit) => hit.score,
          )
        : undefined,
    entriesIn,
    withEntries,
    heldEntries,
    live,
    neighbours,
    keywords,
  });
  const writeOperations = writePath({
    keys,
    reads: { readRecords, live },
    commands,
    near,
    commit,
    directory,
    durability: options,
  });
  const admin = subtreeAdmin({
    keys,
    reads: { readRecords, namespacesIn },
    commands,
    near,
    commit,
  });

  const backend: RedisBackend = {
    name: "redis",
    get capabilities() {
      return capabilities;
    },
    open,
    // Conversations run on the backend's own RESP2 connection, whatever the caller's speaks.
    conversations: redisConversations(
      () => ready().writer,
      keys,
      wrap,
      directory.registeredIn("conversationTenants"),
    ),

    tenantOf: keys.tenantOf,

    embeddingSpace: () => wrap("read", () => readSpace(ready().client, keys)),

    bindEmbeddingSpace: (space) =>
      wrap("bind", async () => {
        await bindSpace(ready().client, keys, space);
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

    getVectors: (ids, now) => wrap("get", () => liveVectors(ids, now)),

    getByKey: (namespace, key, now) => wrap("get", () => reads.getByKey(namespace, key, now)),

    findByContentHash: (namespace, hashes, now) =>
      wrap("read", () => reads.findByContentHash(namespace, hashes, now)),

    // One script per tenant (its slot), sent and not waited for (see `accessToucher`).
    touch: (ids, at) =>
      wrap("touch", async () => {
        if (ids.length === 0) return;
        const tenants = await directory.tenantsOf(ids);
        toucher.touch(
          ids.flatMap((id, index) => {
            const tenant = tenants[index];
            return tenant === undefined ? [] : [{ id, tenant }];
          }),
          at,
        );
      }),

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
          // The cache's saves wait for a pause in searches.
          snapshots.reading();
          const { client, writer } = ready();
          const tenants = await tenantsOfScope(client, keys, selection.scope);
          const tenant = tenants.length === 1 ? tenants[0] : undefined;
          // A hybrid recall has the scope's records in process, vouched for by the change feed:
          // the KNN's hits are taken from there (a bare FT.SEARCH beside the feed's barrier),
          // not read by a script. Should the barrier find a change, the hits are read instead.
          // (Scopes of namespaces only: a subtree's namespaces cost a read to list.)
          const vouched =
            selection.scope.prefixes.length === 0 ? await vouching(selection.scope) : undefined;
          if (vouched) {
            const found = await inIndex(
              index,
              selection,
              limit,
              (copy, policy) =>
                knnCandidates(
                  selection,
                  limit,
                  () => knnHits(copy.node, copy.index, selection, vector, limit, policy),
                  async () => ((await vouched.confirmed) ? vouched.entries : []),
                  (ids) => live(ids, selection.now, tenant),
                ),
              (hit) => hit.id,
              (hit) => hit.score,
            );
            return knownTenants(found.map(({ memory, score }) => ({ memory: memory!, score })));
          }
          // Only the hits are read, never the scope: a write elsewhere in it costs nothing here.
          const found = await inIndex(
            index,
            selection,
            limit,
            (copy, policy) =>
              searchVectorInIndex(
                // One server: records are read where uses are recorded, in their order.
                { reads: writer.routing ? copy.node : client, search: copy.node },
                copy.index,
                selection,
                vector,
                limit,
                policy,
                tenant,
              ),
            (hit) => hit.memory.id,
            (hit) => hit.score,
          );
          return knownTenants(found);
        }
        return withEntries(selection.scope, (entries) =>
          knownTenants(neighbours.search(entries, vector, limit, selection.filter, selection.now)),
        );
      }),

    vectorCandidates: (selection, vector, limit) =>
      wrap("search", async () =>
        knownCandidates(await candidates.vectorCandidates(selection, vector, limit)),
      ),

    keywordCandidates: (selection, terms, limit) =>
      wrap("search", async () =>
        knownCandidates(await candidates.keywordCandidates(selection, terms, limit)),
      ),

    vectorScores: (selection, ids, vector) =>
      wrap("search", () => candidates.vectorScores(selection, ids, vector)),

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
        return withEntries(selection.scope, (entries) =>
          knownTenants(keywords.search(entries, terms, limit, selection.filter, selection.now)),
        );
      }),

    selectIds: (selection) =>
      wrap("read", async () => (await load(selection)).map((row) => row.record.id)),

    namespaces: () => wrap("read", () => admin.namespaces(ready().client)),

    deleteSubtree: (prefix) =>
      wrap("delete", () => admin.deleteSubtree(ready().client, ready().writer, prefix)),

    subscribe: async (scope, handler, subscribeOptions) => {
      await open();
      const subscription = await wrap("subscribe", () =>
        followStreams(ready().client, keys, scope, handler, subscribeOptions, ready().cluster),
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
        // Empty now: a depth above 1 is recorded again, as at open.
        await assertTenantSegments(ready().writer, keys);
        cache.clear();
        directory.clear();
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
      await snapshots.flush();
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
      return writeOperations(connection(), ready().client, operations);
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
    // A tenant is registered before a store's first memory (and never removed).
    await routing.ensureIndex(
      writer,
      wanted,
      async () => Number(await writer.sendCommand(["SCARD", keys.tenants])) === 0,
    );
    index = wanted;
  }

  return backend;
}
