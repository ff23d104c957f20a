export { tenantOf } from "../../namespace/namespace.js";
/**
 * The key layout. Every key carries the same hash tag, `{prefix}`, so a remember (record,
 * indexes, event) is one MULTI/EXEC on one cluster slot. The price is that one prefix lives on
 * one shard; use a prefix per tenant group to spread load.
 */
export function redisKeys(prefix: string) {
  const p = `{${prefix}}`;
  return {
    /** What every key of this store starts with. */
    root: `${p}:`,
    /** HASH: one memory; the vector is packed FLOAT32 bytes in field `vector`. */
    memory: (id: string) => `${p}:mem:${id}`,
    /**
     * HASH: uses of one memory since its last write (`lastAccessedAt`, `accessCount`). Outside
     * `memoryPrefix`, so a recall's touch never makes RediSearch index the record again.
     */
    access: (id: string) => `${p}:acc:${id}`,
    /** ZSET (all scores 0, so ordered by id = creation time): the ids in one namespace. */
    namespaceIds: (namespace: string) => `${p}:ns:${namespace}`,
    /** ZSET (scores 0, lexicographic): every namespace that has held a memory, for subtree ranges. */
    namespaces: `${p}:namespaces`,
    /** HASH: key -> id in one namespace. */
    namespaceKeys: (namespace: string) => `${p}:keys:${namespace}`,
    /** HASH: content hash -> id in one namespace, for dedup. */
    namespaceHashes: (namespace: string) => `${p}:hashes:${namespace}`,
    /** HASH: `model|content hash` -> id, so a vector is never computed twice. */
    vectorsByHash: `${p}:vectors`,
    /** LIST: the history entries of one memory, as JSON. */
    history: (id: string) => `${p}:hist:${id}`,
    /** SET: ids with history in one namespace, so erasing the namespace erases them. */
    namespaceHistory: (namespace: string) => `${p}:histns:${namespace}`,
    /** STREAM: the durable change log of one tenant (a namespace's first segment). */
    events: (tenant: string) => `${p}:events:${tenant}`,
    /** Pub/sub channel per namespace, for listeners that need no history. */
    channel: (namespace: string) => `${p}:changes:${namespace}`,
    /** What every namespace's channel starts with: the namespace follows it. */
    channelPrefix: `${p}:changes:`,
    /** A PSUBSCRIBE pattern for every namespace's channel (the plain-mode cache's feed). */
    channelPattern: `${escapeGlob(p)}:changes:*`,
    /**
     * STRING: a fresh random token on every write to one namespace. Plain-mode readers keep a
     * namespace cached while its token is unchanged; a token never repeats, unlike a counter
     * that erasing would reset.
     */
    namespaceVersion: (namespace: string) => `${p}:ver:${namespace}`,
    /** What every memory hash's key starts with: the search index covers exactly these. */
    memoryPrefix: `${p}:mem:`,
    /** The RediSearch index of one embedding model (search mode). */
    searchIndex: (model: string) => `${p}:idx:${model}`,
    /** HASH: the embedding space the store is bound to. */
    meta: `${p}:meta`,

    // Conversations. A thread's keys carry its encoded namespace (never a `:`), then its id.
    /**
     * HASH: one thread: its fields, the append counter `lastSeq`, its summary, its own working
     * memory (`wm*`) and its ingest state (`ingest*`), so deleting the hash deletes all of them.
     */
    thread: (namespace: string, threadId: string) => `${p}:thread:${namespace}:${threadId}`,
    /** HASH: message id -> its 28-character sort key followed by its JSON body. */
    threadMessages: (namespace: string, threadId: string) => `${p}:msgs:${namespace}:${threadId}`,
    /** ZSET (scores 0, lexicographic): sort key + id, so ranges are windows in thread order. */
    threadOrder: (namespace: string, threadId: string) => `${p}:order:${namespace}:${threadId}`,
    /** ZSET (score: append sequence number): message ids in append order, for ingest. */
    threadAppends: (namespace: string, threadId: string) => `${p}:appends:${namespace}:${threadId}`,
    /** ZSET (score: updatedAt): the thread ids in one namespace. */
    namespaceThreads: (namespace: string) => `${p}:threads:${namespace}`,
    /** ZSET (scores 0): the namespaces of one tenant holding a thread with this id. */
    threadHomes: (tenant: string, threadId: string) => `${p}:tns:${tenant}:${threadId}`,
    /** HASH: message id -> the ids of the threads in one namespace holding it, `\n`-separated. */
    messageHomes: (namespace: string) => `${p}:msghome:${namespace}`,
    /**
     * ZSET (scores 0, lexicographic): every namespace of one tenant that has held a thread or
     * working memory. Per tenant, so that every key one conversation write touches is the
     * tenant's: a per-tenant hash tag (clusters) needs to change only this file.
     */
    conversationNamespaces: (tenant: string) => `${p}:convns:${tenant}`,
    /** HASH: a namespace's working memory: `content` (JSON), `version`, `updatedAt`. */
    workingMemory: (namespace: string) => `${p}:wm:${namespace}`,
  };
}

// Redis glob patterns treat * ? [ ] and \ as special; a prefix may hold any of them.
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

export type RedisKeys = ReturnType<typeof redisKeys>;
