import type { ResolvedFilter, Selection } from "../backends/backend.js";
import type { Namespace } from "../namespace/namespace.js";
import { resolveScope } from "../namespace/scope.js";

interface ParsedScopeAndFilter extends ResolvedFilter {
  namespace?: string[] | string[][] | undefined;
  within?: string[] | string[][] | undefined;
}

/** Builds a backend selection from parsed options: validated scope, filter, and now. */
export function toSelection(options: ParsedScopeAndFilter, now: number): Selection {
  const scope = resolveScope({
    namespace: options.namespace as Namespace | Namespace[] | undefined,
    within: options.within as Namespace | Namespace[] | undefined,
  });
  const filter: ResolvedFilter = {
    kinds: options.kinds,
    tags: options.tags,
    metadata: options.metadata,
    createdAfter: options.createdAfter,
    createdBefore: options.createdBefore,
    updatedAfter: options.updatedAfter,
    updatedBefore: options.updatedBefore,
    pinned: options.pinned,
    keys: options.keys,
    where: options.where,
  };
  return { scope, filter, now };
}
