import type { ResolvedScope } from "../../../namespace/scope.js";
import type { RedisKeys } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import { namespacesInScope, tenantsOfScope } from "../tenant-scope.js";

/** Encoded namespaces in scope that have held a thread or working memory (ZRANGE BYLEX). */
export function conversationNamespacesIn(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
): Promise<string[]> {
  return namespacesInScope(
    client,
    keys,
    scope,
    (tenant) => keys.conversationNamespaces(tenant),
    "conversationTenants",
  );
}

/** The tenants a scope reaches (for a prefix shorter than a tenant, the registered ones). */
export function tenantsOf(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
): Promise<string[]> {
  return tenantsOfScope(client, keys, scope, "conversationTenants");
}

/**
 * Puts a namespace's tenant in the store-wide registry of conversation tenants before its first
 * conversation write from this process, so a scope shorter than a tenant finds it.
 */
export function conversationTenantRegistry(keys: RedisKeys, registered: Set<string>) {
  return async (client: RedisClientLike, namespace: string): Promise<void> => {
    const tenant = keys.tenantOf(namespace);
    if (registered.has(tenant)) return;
    await client.sendCommand(["SADD", keys.conversationTenants, tenant]);
    if (registered.size >= 100_000) registered.clear();
    registered.add(tenant);
  };
}

export type RegisterConversationTenant = ReturnType<typeof conversationTenantRegistry>;
