import { encodedIsWithin, type ResolvedScope } from "../../../namespace/scope.js";
import { type RedisKeys, tenantOf } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";

/** Encoded namespaces in scope that have held a thread or working memory (ZRANGE BYLEX). */
export async function conversationNamespacesIn(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
): Promise<string[]> {
  const found = new Set(scope.exact);
  for (const prefix of scope.prefixes) {
    found.add(prefix);
    const below = (await client.sendCommand([
      "ZRANGE",
      keys.conversationNamespaces,
      `[${prefix}/`,
      `(${prefix}0`,
      "BYLEX",
    ])) as string[];
    for (const namespace of below) if (encodedIsWithin(namespace, prefix)) found.add(namespace);
  }
  return [...found];
}

/** The tenants (first segments) a scope reaches. */
export function tenantsOf(scope: ResolvedScope): string[] {
  return [...new Set([...scope.exact, ...scope.prefixes].map(tenantOf))];
}
