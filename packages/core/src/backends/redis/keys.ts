import { createHash } from "node:crypto";

/** The most leading segments a tenant may be made of (`tenantSegments`). */
export const MAX_TENANT_SEGMENTS = 8;

/**
 * The tenant of an encoded namespace: its first `segments` segments, encoded (`/`-joined); a
 * namespace with fewer segments is a tenant of its own.
 */
export function tenantOfDepth(encodedNamespace: string, segments: number): string {
  let at = -1;
  for (let found = 0; found < segments; found++) {
    at = encodedNamespace.indexOf("/", at + 1);
    if (at === -1) return encodedNamespace;
  }
  return encodedNamespace.slice(0, at);
}

/**
 * The hash tag of one tenant of one store: a digest, since a tenant may hold characters (such
 * as `}`) that would end a tag early. 12 hex digits; two tenants that share one only share a
 * slot, since every key also names its tenant, namespace or (store-wide unique) id.
 */
export function tenantTag(prefix: string, tenant: string): string {
  return `{${createHash("sha1").update(`${prefix}\n${tenant}`).digest("hex").slice(0, 12)}}`;
}

/**
 * The key layout. A key is `<prefix>:<kind>:{<tag>}:<rest>`: every key a tenant's write touches
 * carries the tenant's hash tag (`tenantTag`), so one write is one MULTI/EXEC in one cluster
 * slot while a store's tenants spread over every shard. The few store-wide keys carry the tag
 * `{<prefix>}`, and the id directory (`home`) is tagged by id. A prefix has no braces, so the
 * first `{` of a key opens its tag, and `<prefix>:<kind>:{` names exactly one store and kind.
 */
export function redisKeys(prefix: string, tenantSegments = 1) {
  const tenantOf = (namespace: string) => tenantOfDepth(namespace, tenantSegments);
  const tags = new Map<string, string>();
  // The digest of a tenant, computed once per tenant (and bounded: a store may have millions).
  const tag = (tenant: string) => {
    let found = tags.get(tenant);
    if (found === undefined) {
      found = tenantTag(prefix, tenant);
      if (tags.size >= 100_000) tags.clear();
      tags.set(tenant, found);
    }
    return found;
  };
  const inTenant = (kind: string, tenant: string) => `${prefix}:${kind}:${tag(tenant)}`;
  const inNamespace = (kind: string, namespace: string) =>
    `${inTenant(kind, tenantOf(namespace))}:${namespace}`;
  const store = `{${prefix}}`;
  return {
    prefix,
    /** How many leading segments of a namespace make its tenant. */
    tenantSegments,
    /** The tenant of an encoded namespace (its first `tenantSegments` segments). */
    tenantOf,
    /**
     * Whether a subtree may hold several tenants: its prefix is shorter than a tenant, so the
     * tenants below it are found in a registry (`tenants`, `conversationTenants`).
     */
    spansTenants: (prefix: string) => depthOf(prefix) < tenantSegments,
    /** What every key of this store starts with (keys of other stores may too: see `owns`). */
    root: `${prefix}:`,
    /** Whether a key (from SCAN) belongs to this store. */
    owns: (key: string) =>
      key.startsWith(`${prefix}:`) && /^[a-z]+:\{/.test(key.slice(prefix.length + 1)),
    /** The hash tag of a tenant's keys. */
    tag,
    /** HASH: one memory; the vector is packed FLOAT32 bytes in field `vector`. */
    memory: (tenant: string, id: string) => `${inTenant("mem", tenant)}:${id}`,
    /**
     * HASH: uses of one memory since its last write (`lastAccessedAt`, `accessCount`). Outside
     * `memoryPrefix`, so a recall's touch never makes RediSearch index the record again.
     */
    access: (tenant: string, id: string) => `${inTenant("acc", tenant)}:${id}`,
    /**
     * STRING: the tenant a memory id lives in (its directory entry), tagged by the id so the
     * directory spreads too. Written before the tenant's transaction, kept with the memory's
     * history; a reader trusts only the record it finds under the tenant.
     */
    home: (id: string) => `${prefix}:home:{${id}}`,
    /** ZSET (all scores 0, so ordered by id = creation time): the ids in one namespace. */
    namespaceIds: (namespace: string) => inNamespace("ns", namespace),
    /** ZSET (scores 0, lexicographic): every namespace of a tenant that held a memory. */
    namespaces: (tenant: string) => `${inTenant("namespaces", tenant)}:${tenant}`,
    /**
     * SET: every tenant that has held a memory, store-wide. Written before a tenant's first
     * transaction (so it may be ahead, never behind), for whole-store reads.
     */
    tenants: `${prefix}:tenants:${store}`,
    /**
     * SET: every tenant that has held a thread or working memory, store-wide; written before the
     * tenant's first conversation write, like `tenants`.
     */
    conversationTenants: `${prefix}:convtenants:${store}`,
    /** HASH: key -> id in one namespace. */
    namespaceKeys: (namespace: string) => inNamespace("keys", namespace),
    /** HASH: content hash -> id in one namespace, for dedup. */
    namespaceHashes: (namespace: string) => inNamespace("hashes", namespace),
    /** HASH: `model|content hash` -> id among one tenant's memories, so a vector is never computed twice. */
    vectorsByHash: (tenant: string) => `${inTenant("vectors", tenant)}:${tenant}`,
    /** LIST: the history entries of one memory, as JSON. */
    history: (tenant: string, id: string) => `${inTenant("hist", tenant)}:${id}`,
    /** SET: ids with history in one namespace, so erasing the namespace erases them. */
    namespaceHistory: (namespace: string) => inNamespace("histns", namespace),
    /** STREAM: the durable change log of one tenant. */
    events: (tenant: string) => `${inTenant("events", tenant)}:${tenant}`,
    /** Pub/sub channel per namespace, for listeners that need no history. */
    channel: (namespace: string) => inNamespace("changes", namespace),
    /** A PSUBSCRIBE pattern for every namespace's channel (the plain-mode cache's feed). */
    channelPattern: `${escapeGlob(prefix)}:changes:{*`,
    /** The namespace a channel of `channelPattern` is about. */
    namespaceOfChannel: (channel: string) =>
      channel.slice(channel.indexOf("}:", prefix.length) + 2),
    /**
     * STRING: a fresh random token on every write to one namespace. Plain-mode readers keep a
     * namespace cached while its token is unchanged; a token never repeats, unlike a counter
     * that erasing would reset.
     */
    namespaceVersion: (namespace: string) => inNamespace("ver", namespace),
    /**
     * What every memory hash's key starts with, and nothing else's: the search index covers
     * exactly these (the `{` keeps out a store whose prefix is `<prefix>:mem`...).
     */
    memoryPrefix: `${prefix}:mem:{`,
    /** What every access hash's key starts with; the tag and id follow, as in `memoryPrefix`. */
    accessPrefix: `${prefix}:acc:{`,
    /** The id of a memory from its hash's key. */
    idOfMemoryKey: (key: string) => key.slice(key.indexOf("}:", prefix.length) + 2),
    /** The RediSearch index of one embedding model (search mode). */
    searchIndex: (model: string) => `${prefix}:idx:${model}`,
    /** STRING, expiring: written by one MULTI/EXEC, so a lost EXEC reply can be checked. */
    commitMarker: (tenant: string, id: string) => `${inTenant("commit", tenant)}:${id}`,
    /** STRING: a counter every memory write of a tenant increments (near-duplicate indexes). */
    nearSequence: (tenant: string) => `${inTenant("near", tenant)}:${tenant}`,
    /** HASH: the embedding space the store is bound to, and its `tenantSegments` (absent: 1). */
    meta: `${prefix}:meta:${store}`,

    // Conversations. A thread's keys carry its encoded namespace (never a `:`), then its id.
    /**
     * HASH: one thread: its fields, the append counter `lastSeq`, its summary, its own working
     * memory (`wm*`) and its ingest state (`ingest*`), so deleting the hash deletes all of them.
     */
    thread: (namespace: string, threadId: string) =>
      `${inNamespace("thread", namespace)}:${threadId}`,
    /** HASH: message id -> its 28-character sort key followed by its JSON body. */
    threadMessages: (namespace: string, threadId: string) =>
      `${inNamespace("msgs", namespace)}:${threadId}`,
    /** ZSET (scores 0, lexicographic): sort key + id, so ranges are windows in thread order. */
    threadOrder: (namespace: string, threadId: string) =>
      `${inNamespace("order", namespace)}:${threadId}`,
    /** ZSET (score: append sequence number): message ids in append order, for ingest. */
    threadAppends: (namespace: string, threadId: string) =>
      `${inNamespace("appends", namespace)}:${threadId}`,
    /** ZSET (score: updatedAt): the thread ids in one namespace. */
    namespaceThreads: (namespace: string) => inNamespace("threads", namespace),
    /** ZSET (scores 0): the namespaces of one tenant holding a thread with this id. */
    threadHomes: (tenant: string, threadId: string) =>
      `${inTenant("tns", tenant)}:${tenant}:${threadId}`,
    /** HASH: message id -> the ids of the threads in one namespace holding it, `\n`-separated. */
    messageHomes: (namespace: string) => inNamespace("msghome", namespace),
    /**
     * ZSET (scores 0, lexicographic): every namespace of one tenant that has held a thread or
     * working memory, so that every key one conversation write touches is the tenant's.
     */
    conversationNamespaces: (tenant: string) => `${inTenant("convns", tenant)}:${tenant}`,
    /** HASH: a namespace's working memory: `content` (JSON), `version`, `updatedAt`. */
    workingMemory: (namespace: string) => inNamespace("wm", namespace),
  };
}

function depthOf(encoded: string): number {
  let count = 1;
  for (let at = encoded.indexOf("/"); at !== -1; at = encoded.indexOf("/", at + 1)) count++;
  return count;
}

/** Redis glob patterns treat * ? [ ] and \ as special; a prefix may hold any of them. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

export type RedisKeys = ReturnType<typeof redisKeys>;
