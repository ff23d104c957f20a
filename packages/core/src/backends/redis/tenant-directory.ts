import type { RedisKeys } from "./keys.js";
import type { RedisClientLike } from "./redis-client.js";
import type { TenantRegistry } from "./tenant-scope.js";

// Ids whose tenant this process remembers; past it, the map starts over (a cache, never truth).
const REMEMBERED = 200_000;

/**
 * Which tenant a memory id lives in, for the operations that get ids alone (get, forget,
 * touch, history). Each id has a directory key (`keys.home`) written before the tenant's
 * transaction, and this process remembers what it wrote or read. The directory only says where
 * to look: a reader trusts the record it finds under that tenant (whose namespace says the
 * same), so a stale entry reads as "not found", never as another tenant's memory.
 */
export function tenantDirectory(connection: () => RedisClientLike, keys: RedisKeys) {
  const known = new Map<string, string>();
  // Tenants this process has put in each store-wide registry (forgotten when the store is
  // dropped, so a dropped store's tenants are registered again).
  const registered: Record<TenantRegistry, Set<string>> = {
    tenants: new Set(),
    conversationTenants: new Set(),
  };

  function remember(id: string, tenant: string): void {
    if (known.size >= REMEMBERED) known.clear();
    known.set(id, tenant);
  }

  /** The directory's entries for these ids, read from Redis (undefined: none). */
  async function read(ids: readonly string[]): Promise<(string | undefined)[]> {
    const client = connection();
    const found = (await Promise.all(
      ids.map((id) => client.sendCommand(["GET", keys.home(id)])),
    )) as (string | null)[];
    return found.map((tenant, at) => {
      if (tenant === null) return undefined;
      remember(ids[at]!, tenant);
      return tenant;
    });
  }

  return {
    remember,

    /** Whether this process knows the id to live in this tenant (its entry exists). */
    knows: (id: string, tenant: string) => known.get(id) === tenant,

    /** What this process believes each id's tenant is, reading the directory for the rest. */
    async tenantsOf(ids: readonly string[]): Promise<(string | undefined)[]> {
      const out = ids.map((id) => known.get(id));
      const missing = ids.filter((_, at) => out[at] === undefined);
      if (missing.length === 0) return out;
      const fresh = await read(missing);
      const byId = new Map(missing.map((id, at) => [id, fresh[at]]));
      return out.map((tenant, at) => tenant ?? byId.get(ids[at]!));
    },

    /**
     * The directory's entries, read again: for ids this process thought it knew but found no
     * record under (deleted, or since restored into another tenant).
     */
    reread(ids: readonly string[]): Promise<(string | undefined)[]> {
      for (const id of ids) known.delete(id);
      return read(ids);
    },

    /** The command that records an id's tenant (run before, or in, the tenant's transaction). */
    entry(id: string, tenant: string): string[] {
      return ["SET", keys.home(id), tenant];
    },

    /** The tenants this process has registered in `registry` (see `keys.tenants`). */
    registeredIn(registry: TenantRegistry): Set<string> {
      return registered[registry];
    },

    clear(): void {
      known.clear();
      for (const set of Object.values(registered)) set.clear();
    },
  };
}

export type TenantDirectory = ReturnType<typeof tenantDirectory>;
