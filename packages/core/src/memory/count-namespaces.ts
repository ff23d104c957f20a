import type { NamespaceKindCount } from "../backends/backend.js";
import { decodeNamespace, encodeNamespace, type Namespace } from "../namespace/namespace.js";
import type { Scope } from "../namespace/scope.js";
import type { MemoryContext } from "./context.js";
import { toSelection } from "./selection.js";

/** Live memories in one namespace, in total and by kind. */
export interface NamespaceCount {
  namespace: Namespace;
  total: number;
  kinds: Record<string, number>;
}

const PAGE = 1000;

/** Every namespace in the scope that holds live memories, with counts by kind, sorted. */
export async function countNamespaces(
  context: MemoryContext,
  scope: Scope,
): Promise<NamespaceCount[]> {
  const selection = toSelection(
    { namespace: scope.namespace as string[] | undefined, within: scope.within as string[] },
    context.now(),
  );
  await context.ready();
  let rows: NamespaceKindCount[];
  if (context.backend.countNamespaces) {
    rows = await context.backend.countNamespaces(selection);
  } else {
    // A backend without an aggregate: count page by page (linear in the subtree).
    const counts = new Map<string, number>();
    let before: string | undefined;
    for (;;) {
      const page = await context.backend.list(selection, { limit: PAGE, before });
      for (const memory of page) {
        const key = JSON.stringify([encodeNamespace(memory.namespace), memory.kind]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      if (page.length < PAGE) break;
      before = page.at(-1)!.id;
    }
    rows = [...counts].map(([key, count]) => {
      const [namespace, kind] = JSON.parse(key) as [string, string];
      return { namespace, kind, count };
    });
  }
  const byNamespace = new Map<string, NamespaceCount>();
  for (const row of rows) {
    let entry = byNamespace.get(row.namespace);
    if (!entry) {
      entry = { namespace: decodeNamespace(row.namespace), total: 0, kinds: {} };
      byNamespace.set(row.namespace, entry);
    }
    entry.total += row.count;
    entry.kinds[row.kind] = (entry.kinds[row.kind] ?? 0) + row.count;
  }
  return [...byNamespace.keys()].sort().map((key) => byNamespace.get(key)!);
}
