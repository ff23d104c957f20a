import type { ResolvedScope } from "../../namespace/scope.js";
import type { RedisKeys } from "./keys.js";
import type { ClusterRouting, RedisClientLike } from "./redis-client.js";
import { ensureSearchIndex } from "./search-mode.js";
import type { SearchIndex } from "./search-query.js";
import { tenantsOfScope } from "./tenant-scope.js";

/** A node to search, and the name its copy of the index has there. */
export interface IndexOnNode {
  node: RedisClientLike;
  index: SearchIndex;
}

/**
 * The name of the index on each master. RediSearch declares an index's name as a key, so a
 * master without a coordinator refuses (MOVED) a name whose slot it does not own: each master's
 * copy is named `<index>:{<n>}`, with the first n whose slot that master owns.
 */
function namesOnMasters(routing: ClusterRouting, base: string): Map<string, string> {
  const masters = new Set(routing.addresses());
  const names = new Map<string, string>();
  for (let n = 0; names.size < masters.size && n < 100_000; n++) {
    const name = `${base}:{${n}}`;
    const owner = routing.ownerOf(name);
    if (masters.has(owner) && !names.has(owner)) names.set(owner, name);
  }
  return names;
}

/**
 * The master a coordinated search is sent to: the one owning the scope's first tenant, so the
 * searches of one tenant keep to one connection (any master would answer the same).
 */
function coordinator(routing: ClusterRouting, scope: ResolvedScope, keys: RedisKeys) {
  const [first] = [...scope.exact, ...scope.prefixes];
  return routing.node(routing.ownerOf(keys.namespaces(keys.tenantOf(first ?? ""))));
}

/**
 * Where search mode's index commands go. On one server: that server. On a cluster without a
 * search coordinator each master indexes only its own keys, so the index exists on every
 * master (same PREFIX), a scope of one tenant is searched on the master that owns the
 * tenant's slot, and a wider one on each master owning one of its tenants (a prefix shorter
 * than a tenant: every registered tenant under it). With a coordinator (`coordinated`), one
 * index spans the cluster: any master creates and searches it.
 */
export function searchRouting(keys: RedisKeys, coordinated: () => boolean) {
  function on(routing: ClusterRouting, index: SearchIndex, address: string) {
    const name = namesOnMasters(routing, index.name).get(address);
    if (name === undefined) throw new Error(`No index name for the cluster master ${address}`);
    return routing.node(address).then((node) => ({ node, index: { ...index, name } }));
  }

  /** The nodes (and index names) to search for this scope. */
  async function nodesFor(
    writer: RedisClientLike,
    index: SearchIndex,
    scope: ResolvedScope,
  ): Promise<IndexOnNode[]> {
    const { routing } = writer;
    if (!routing) return [{ node: writer, index }];
    if (coordinated()) return [{ node: await coordinator(routing, scope, keys), index }];
    const tenants = await tenantsOfScope(writer, keys, scope);
    const owners = new Set(tenants.map((tenant) => routing.ownerOf(keys.namespaces(tenant))));
    // No tenant under a wide prefix yet: search one master, which finds nothing.
    if (owners.size === 0) owners.add(routing.ownerOf(keys.tenants));
    return Promise.all([...owners].map((address) => on(routing, index, address)));
  }

  /** Creates the index wherever memories may live (checking its dimensions where it exists). */
  async function ensureIndex(
    writer: RedisClientLike,
    index: SearchIndex,
    isEmpty: () => Promise<boolean>,
  ): Promise<void> {
    const { routing } = writer;
    if (!routing) return ensureSearchIndex(writer, index, isEmpty);
    if (coordinated())
      return ensureSearchIndex(await routing.masters().then(([first]) => first!), index, isEmpty);
    for (const address of routing.addresses()) {
      const copy = await on(routing, index, address);
      await ensureSearchIndex(copy.node, copy.index, isEmpty);
    }
  }

  /**
   * Runs a search on one node's copy; a copy missing there (its name's slot moved to this
   * master when slots were resharded) is created, then the search runs again.
   */
  async function searchOn<T>(
    copy: IndexOnNode,
    run: (copy: IndexOnNode) => Promise<T>,
  ): Promise<T> {
    try {
      return await run(copy);
    } catch (error) {
      if (!/unknown index|no such index/i.test((error as Error).message)) throw error;
      await ensureSearchIndex(copy.node, copy.index);
      return run(copy);
    }
  }

  return { nodesFor, ensureIndex, searchOn };
}
