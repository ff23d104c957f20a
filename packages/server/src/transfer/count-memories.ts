import type { ConfinedMemory } from "../tenancy/confine-memory.js";
import type { RelativeScope } from "../tenancy/relative-types.js";

/** How many memories a scope holds, in all and by namespace and kind. */
export interface MemoryCounts {
  total: number;
  /** Sorted by namespace (written `a/b`, relative to the caller's root); kinds sorted too. */
  namespaces: { namespace: string; kinds: Record<string, number> }[];
}

/** Counts the memories in a scope, a page at a time; `undefined` is an empty store. */
export async function countMemories(
  memory: ConfinedMemory,
  scope: RelativeScope | undefined,
): Promise<MemoryCounts> {
  const byNamespace = new Map<string, Map<string, number>>();
  let total = 0;
  let cursor: string | undefined;
  while (scope) {
    const page = await memory.list({ ...scope, limit: 500, cursor });
    for (const record of page.memories) {
      const namespace = record.namespace.join("/");
      const kinds = byNamespace.get(namespace) ?? new Map<string, number>();
      kinds.set(record.kind, (kinds.get(record.kind) ?? 0) + 1);
      byNamespace.set(namespace, kinds);
      total++;
    }
    cursor = page.nextCursor ?? undefined;
    if (cursor === undefined) break;
  }
  const namespaces = [...byNamespace.keys()].sort().map((namespace) => ({
    namespace,
    kinds: Object.fromEntries([...byNamespace.get(namespace)!].sort()),
  }));
  return { total, namespaces };
}
