import { encodedIsWithin, type ResolvedScope } from "../../namespace/scope.js";
import { escapeGlob, type RedisKeys } from "./keys.js";
import type { RedisClientLike } from "./redis-client.js";

/** Which registry of tenants a read consults: memories' or conversations'. */
export type TenantRegistry = "tenants" | "conversationTenants";

/**
 * The registered tenants in a subtree shorter than a tenant (`keys.spansTenants`): the prefix
 * itself and every tenant below it, by SSCAN of the store-wide registry (which may name a tenant
 * with nothing left, never miss one that holds something).
 */
export async function tenantsUnder(
  client: RedisClientLike,
  keys: RedisKeys,
  prefix: string,
  registry: TenantRegistry = "tenants",
): Promise<string[]> {
  const found = new Set<string>();
  // `prefix*` covers the prefix and `prefix/...`; the filter drops `prefixX...`.
  const match = `${escapeGlob(prefix)}*`;
  let cursor = "0";
  do {
    const [next, members] = (await client.sendCommand([
      "SSCAN",
      keys[registry],
      cursor,
      "MATCH",
      match,
      "COUNT",
      "1000",
    ])) as [string, string[]];
    for (const tenant of members) if (encodedIsWithin(tenant, prefix)) found.add(tenant);
    cursor = String(next);
  } while (cursor !== "0");
  return [...found].sort();
}

/**
 * The tenants a scope reaches: each exact namespace's and each prefix's, and for a prefix
 * shorter than a tenant every registered tenant under it.
 */
export async function tenantsOfScope(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
  registry: TenantRegistry = "tenants",
): Promise<string[]> {
  const tenants = new Set(scope.exact.map(keys.tenantOf));
  for (const prefix of scope.prefixes)
    for (const tenant of await tenantsOfPrefix(client, keys, prefix, registry)) tenants.add(tenant);
  return [...tenants];
}

/** The tenants that may hold a subtree's namespaces (one, unless the prefix spans tenants). */
export async function tenantsOfPrefix(
  client: RedisClientLike,
  keys: RedisKeys,
  prefix: string,
  registry: TenantRegistry = "tenants",
): Promise<string[]> {
  return keys.spansTenants(prefix)
    ? tenantsUnder(client, keys, prefix, registry)
    : [keys.tenantOf(prefix)];
}

/**
 * Encoded namespaces in scope, from a per-tenant ZSET of namespace names (`namespacesOf`, scores
 * 0, so lexicographic): the scope's exact namespaces and prefixes, and every namespace the ZSETs
 * of the prefixes' tenants hold below them.
 */
export async function namespacesInScope(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
  namespacesOf: (tenant: string) => string,
  registry: TenantRegistry = "tenants",
): Promise<string[]> {
  const found = new Set(scope.exact);
  for (const prefix of scope.prefixes) {
    found.add(prefix);
    // A prefix shorter than a tenant: every tenant under it, each its own slot.
    const tenants = await tenantsOfPrefix(client, keys, prefix, registry);
    const below = (await Promise.all(
      tenants.map((tenant) =>
        client.sendCommand(["ZRANGE", namespacesOf(tenant), `[${prefix}/`, `(${prefix}0`, "BYLEX"]),
      ),
    )) as string[][];
    for (const namespace of below.flat())
      if (encodedIsWithin(namespace, prefix)) found.add(namespace);
  }
  return [...found];
}
