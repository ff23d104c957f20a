import { encodeNamespace } from "../../namespace/namespace.js";
import type { ResolvedScope } from "../../namespace/scope.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { matchesFilter } from "../../retrieval/filter.js";
import type { Selection } from "../backend.js";
import { groupBy } from "./group-by.js";
import type { RedisKeys } from "./keys.js";
import type { namespaceSnapshots } from "./namespace-snapshots.js";
import {
  ACCESS_FIELDS,
  addAccess,
  hashToRecord,
  hashToVector,
  RECORD_FIELDS,
  withAccess,
} from "./record-hash.js";
import { AS_BUFFERS, type RedisClientLike } from "./redis-client.js";
import type { CachedNamespace, ScopeCache } from "./scope-cache.js";
import type { TenantDirectory } from "./tenant-directory.js";
import { namespacesInScope } from "./tenant-scope.js";

const FIELDS_WITH_VECTOR = [...RECORD_FIELDS, "vector"];
const FILL_SLICE = 2_000;

// KEYS[1]: a namespace's id set; KEYS[i + 1]: the hash of the id in ARGV[i].
const FORGET_EXPIRED = `for i, id in ipairs(ARGV) do
  if redis.call('EXISTS', KEYS[i + 1]) == 0 then redis.call('ZREM', KEYS[1], id) end
end
return 0`;

// KEYS: access hashes; the reply holds each one's ACCESS_FIELDS (one command for many).
const READ_ACCESS = `local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HMGET', key, 'lastAccessedAt', 'accessCount') end
return out`;
const ACCESS_SLICE = 1_000;

/** Every id in a namespace's member set, expired ones included. */
export async function namespaceIds(
  client: RedisClientLike,
  keys: RedisKeys,
  namespace: string,
): Promise<string[]> {
  return (await client.sendCommand([
    "ZRANGE",
    keys.namespaceIds(namespace),
    "0",
    "-1",
  ])) as string[];
}

type Row = {
  record: MemoryRecord | undefined;
  /** The record as stored, before the uses counted in its access hash. */
  stored?: MemoryRecord | undefined;
  vector: Float32Array | undefined;
};

const ABSENT: Row = { record: undefined, vector: undefined };

/**
 * Plain-mode reads: records by id (pipelined HMGETs, vectors as packed bytes), namespaces by
 * scope, and whole namespaces through the in-process cache.
 */
export function plainReads(
  connection: () => RedisClientLike,
  keys: RedisKeys,
  cache: ScopeCache,
  directory: TenantDirectory,
  snapshots?: ReturnType<typeof namespaceSnapshots>,
) {
  /** Records under known tenants; one whose namespace is not of that tenant reads as absent. */
  async function readIn(
    ids: readonly string[],
    tenants: readonly (string | undefined)[],
    withVectors: boolean,
  ): Promise<Row[]> {
    const client = connection();
    const fields = withVectors ? FIELDS_WITH_VECTOR : [...RECORD_FIELDS];
    // One pipeline: each record and its uses since its last write.
    const [replies, accesses] = await Promise.all([
      Promise.all(
        ids.map((id, at) =>
          tenants[at] === undefined
            ? null
            : client.sendCommand(["HMGET", keys.memory(tenants[at], id), ...fields], AS_BUFFERS),
        ),
      ) as Promise<((Buffer | null)[] | null)[]>,
      Promise.all(
        ids.map((id, at) =>
          tenants[at] === undefined
            ? null
            : client.sendCommand(["HMGET", keys.access(tenants[at], id), ...ACCESS_FIELDS]),
        ),
      ) as Promise<((string | null)[] | null)[]>,
    ]);
    return replies.map((values, index) => {
      if (!values) return ABSENT;
      // As stored, before the uses counted in its access hash (what a snapshot keeps).
      const stored = hashToRecord(values.slice(0, RECORD_FIELDS.length));
      const record = withAccess(stored, accesses[index]);
      if (!record || keys.tenantOf(encodeNamespace(record.namespace)) !== tenants[index])
        return ABSENT;
      // Found where it was looked for: a later touch or get of it needs no directory read.
      directory.remember(ids[index]!, tenants[index]!);
      return {
        record,
        stored,
        vector: withVectors ? hashToVector(values[RECORD_FIELDS.length]) : undefined,
      };
    });
  }

  /**
   * Records by id, with their vectors if asked. `tenant`, when every id is known to be of one
   * tenant (a namespace's members), saves the directory look-up.
   */
  async function readRecords(
    ids: readonly string[],
    withVectors: boolean,
    tenant?: string,
  ): Promise<Row[]> {
    if (tenant !== undefined)
      return readIn(
        ids,
        ids.map(() => tenant),
        withVectors,
      );
    const tenants = await directory.tenantsOf(ids);
    const rows = await readIn(ids, tenants, withVectors);
    // Not found where this process last saw the id: the directory may say otherwise now.
    const missed = ids.flatMap((_, at) =>
      tenants[at] !== undefined && !rows[at]!.record ? [at] : [],
    );
    if (missed.length === 0) return rows;
    const again = await directory.reread(missed.map((at) => ids[at]!));
    const moved = missed.flatMap((at, index) =>
      again[index] !== undefined && again[index] !== tenants[at] ? [index] : [],
    );
    if (moved.length === 0) return rows;
    const fresh = await readIn(
      moved.map((index) => ids[missed[index]!]!),
      moved.map((index) => again[index]),
      withVectors,
    );
    moved.forEach((index, at) => {
      rows[missed[index]!] = fresh[at]!;
    });
    return rows;
  }

  /** Encoded namespaces in scope that have ever held a memory. */
  function namespacesIn(scope: ResolvedScope): Promise<string[]> {
    return namespacesInScope(connection(), keys, scope, (tenant) => keys.namespaces(tenant));
  }

  /**
   * Redis expires a memory's hash but not the id in its namespace's set: drop such ids when a
   * fill meets them, checking in the script that the hash is still gone (a restore may have
   * written it back since).
   */
  async function forgetExpired(client: RedisClientLike, namespace: string, ids: string[]) {
    await client.sendCommand([
      "EVAL",
      FORGET_EXPIRED,
      String(ids.length + 1),
      keys.namespaceIds(namespace),
      ...ids.map((id) => keys.memory(keys.tenantOf(namespace), id)),
      ...ids,
    ]);
  }

  /**
   * A namespace saved under the very version token Redis holds now, with the uses counted
   * since (read afresh, in slices of one script each). Records Redis has expired since are left
   * out, as a read from Redis would.
   */
  async function fromSnapshot(
    client: RedisClientLike,
    namespace: string,
    version: string,
  ): Promise<CachedNamespace | undefined> {
    const saved = snapshots?.load(namespace, version);
    if (!saved) return undefined;
    const now = Date.now();
    const live = saved.records.filter(
      (record) => record.expiresAt === undefined || record.expiresAt.getTime() > now,
    );
    const slices: Promise<unknown>[] = [];
    for (let start = 0; start < live.length; start += ACCESS_SLICE) {
      const slice = live.slice(start, start + ACCESS_SLICE);
      slices.push(
        client.sendCommand([
          "EVAL",
          READ_ACCESS,
          String(slice.length),
          // One namespace is one tenant: every key of a slice is in the tenant's slot.
          ...slice.map((record) => keys.access(keys.tenantOf(namespace), record.id)),
        ]),
      );
    }
    const accesses = (await Promise.all(slices)).flat() as ((string | null)[] | null)[];
    const filled: CachedNamespace = { namespace, version, records: new Map(), vectors: new Map() };
    live.forEach((record, index) => {
      filled.records.set(record.id, addAccess(record, accesses[index]));
      const vector = saved.vectors.get(record.id);
      if (vector) filled.vectors.set(record.id, vector);
    });
    return filled;
  }

  /** One namespace read from Redis under `version` (the token read just before). */
  async function readNamespace(
    client: RedisClientLike,
    namespace: string,
    version: string,
  ): Promise<CachedNamespace> {
    const saved = await fromSnapshot(client, namespace, version);
    if (saved) return saved;
    const stored: MemoryRecord[] = [];
    const ids = await namespaceIds(client, keys, namespace);
    const filled: CachedNamespace = {
      namespace,
      version,
      records: new Map(),
      vectors: new Map(),
    };
    const gone: string[] = [];
    // In slices: node-redis times out a command 5 s after it is queued, and a namespace of
    // 100,000 memories queued at once is 200,000 commands.
    for (let start = 0; start < ids.length; start += FILL_SLICE) {
      const slice = ids.slice(start, start + FILL_SLICE);
      const rows = await readRecords(slice, true, keys.tenantOf(namespace));
      for (const [index, { record, stored: asStored, vector }] of rows.entries()) {
        if (!record || !asStored) {
          gone.push(slice[index]!);
          continue;
        }
        stored.push(asStored);
        filled.records.set(record.id, record);
        if (vector) filled.vectors.set(record.id, vector);
      }
    }
    if (gone.length > 0) await forgetExpired(client, namespace, gone);
    snapshots?.save(namespace, version, { records: stored, vectors: filled.vectors });
    return filled;
  }

  /**
   * The cache entries of every namespace in scope. Entries the change feed vouches for are
   * served as they are; the rest are checked against their version tokens (one MGET) and
   * reloaded where a token moved. See `ScopeCache` for why that never serves stale data.
   */
  // Reads in flight by namespace and version token: the two legs of one hybrid recall (or two
  // recalls) that find a namespace cold share one read of it rather than reading it twice.
  const reading = new Map<string, Promise<CachedNamespace>>();
  function readOnce(client: RedisClientLike, namespace: string, version: string) {
    const key = `${namespace}\u0000${version}`;
    let pending = reading.get(key);
    if (!pending) {
      pending = readNamespace(client, namespace, version).finally(() => reading.delete(key));
      reading.set(key, pending);
    }
    return pending;
  }

  async function entriesIn(scope: ResolvedScope): Promise<CachedNamespace[]> {
    snapshots?.reading();
    const client = connection();
    const namespaces = await namespacesIn(scope);
    if (namespaces.length === 0) return [];
    // The barrier costs a round trip: skip it when no entry in scope could be served on it.
    const vouched = namespaces.some((namespace) => cache.confirmedNow(namespace))
      ? await cache.vouched()
      : undefined;
    const entries = namespaces.map((namespace) =>
      vouched === undefined ? undefined : cache.trusted(namespace, vouched),
    );
    const unchecked = namespaces.filter((_, index) => entries[index] === undefined);
    if (unchecked.length === 0) return entries as CachedNamespace[];
    // Epoch before tokens, tokens before data: an entry is never newer than what vouches for it.
    const epoch = cache.watching();
    // One MGET per tenant: a tenant's keys share a slot, different tenants' may not.
    const versions = new Map<string, string | null>();
    await Promise.all(
      [...groupBy(unchecked, keys.tenantOf).values()].map(async (group) => {
        const found = (await client.sendCommand([
          "MGET",
          ...group.map((namespace) => keys.namespaceVersion(namespace)),
        ])) as (string | null)[];
        for (const [at, namespace] of group.entries()) versions.set(namespace, found[at] ?? null);
      }),
    );
    const checked = new Map<string, CachedNamespace>();
    for (const namespace of unchecked) {
      const version = versions.get(namespace) ?? "";
      let entry = cache.get(namespace, version);
      if (entry) cache.confirm(namespace, entry, epoch);
      else entry = await cache.fill(namespace, epoch, () => readOnce(client, namespace, version));
      checked.set(namespace, entry);
    }
    return namespaces.map((namespace, index) => entries[index] ?? checked.get(namespace)!);
  }

  /**
   * `work` over the scope's entries, as current as `entriesIn` gives them, for synchronous work:
   * when every namespace in scope has an entry the change feed vouches for, the work runs on
   * them while the barrier's round trip is under way (`vouching`), and its result stands if they
   * are confirmed. Otherwise, or if one was dropped, the work runs again on `entriesIn`'s
   * entries. A recall thus waits for the longer of the two, not their sum.
   */
  async function withEntries<T>(
    scope: ResolvedScope,
    work: (entries: readonly CachedNamespace[]) => T,
  ): Promise<T> {
    const vouched = await vouching(scope);
    if (vouched) {
      // node-redis writes what was sent at the next `setImmediate`: let the PING leave first.
      await new Promise((resolve) => setImmediate(resolve));
      const result = work(vouched.entries);
      if (await vouched.confirmed) return result;
    }
    return work(await entriesIn(scope));
  }

  /**
   * The entries the change feed last vouched for, when every namespace in scope has one, with a
   * barrier sent: `confirmed` tells whether the same entries are still trusted once it returns (a
   * change committed before the barrier was sent has dropped its namespace's entry by then).
   * `undefined`, without a round trip, when a namespace has none. Never reads a namespace.
   */
  async function vouching(
    scope: ResolvedScope,
  ): Promise<{ entries: readonly CachedNamespace[]; confirmed: Promise<boolean> } | undefined> {
    const { namespaces, epoch, held } = await lastVouched(scope);
    if (!held || namespaces.length === 0) return undefined;
    const confirmed = cache
      .vouched()
      .then(
        (vouched) =>
          vouched === epoch &&
          namespaces.every((namespace, at) => cache.trusted(namespace, epoch!) === held[at]),
      );
    return { entries: held, confirmed };
  }

  /**
   * The scope's entries as last vouched for, without a round trip when the feed is up and every
   * namespace has one (for scores of candidates just found), else `entriesIn`'s.
   */
  async function heldEntries(scope: ResolvedScope): Promise<CachedNamespace[]> {
    return (await lastVouched(scope)).held ?? entriesIn(scope);
  }

  // The scope's namespaces, the feed's epoch, and each namespace's entry as the feed last
  // vouched for it (`held`: undefined when the feed is off or a namespace has none).
  async function lastVouched(scope: ResolvedScope) {
    snapshots?.reading();
    const namespaces = await namespacesIn(scope);
    const epoch = cache.watching();
    const entries =
      epoch === undefined ? [] : namespaces.map((namespace) => cache.trusted(namespace, epoch));
    const held =
      epoch !== undefined && entries.every((entry) => entry !== undefined)
        ? (entries as CachedNamespace[])
        : undefined;
    return { namespaces, epoch, held };
  }

  /** Every live record (and vector) in scope that passes the filter, through the cache. */
  async function load(selection: Selection) {
    const out: { record: MemoryRecord; vector: Float32Array | undefined }[] = [];
    for (const entry of await entriesIn(selection.scope)) {
      for (const record of entry.records.values()) {
        if (matchesFilter(record, selection.filter, selection.now))
          out.push({ record, vector: entry.vectors.get(record.id) });
      }
    }
    return out;
  }

  async function live(
    ids: readonly string[],
    now: number,
    tenant?: string,
  ): Promise<(MemoryRecord | undefined)[]> {
    return (await readRecords(ids, false, tenant)).map(({ record }) =>
      isLive(record, now) ? record : undefined,
    );
  }

  async function liveVectors(
    ids: readonly string[],
    now: number,
  ): Promise<(Float32Array | undefined)[]> {
    return (await readRecords(ids, true)).map(({ record, vector }) =>
      isLive(record, now) ? vector : undefined,
    );
  }

  return {
    readRecords,
    namespacesIn,
    entriesIn,
    withEntries,
    vouching,
    heldEntries,
    load,
    live,
    liveVectors,
  };
}

function isLive(record: MemoryRecord | undefined, now: number): record is MemoryRecord {
  return (
    record !== undefined && (record.expiresAt === undefined || record.expiresAt.getTime() > now)
  );
}
