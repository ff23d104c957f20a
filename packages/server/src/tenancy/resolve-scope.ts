import { EngramError, type MemoryFilter, type Namespace, type Scope } from "@engram/core";
import type { KeyScope, Principal } from "./principal.js";
import type { RelativeNamespaces, RelativeScope } from "./relative-types.js";
import { resolveNamespace } from "./resolve-namespace.js";

/** Throws `FORBIDDEN` unless the caller holds `scope`. */
export function requireScope(principal: Principal, scope: KeyScope): void {
  if (!principal.scopes.includes(scope)) {
    throw new EngramError("FORBIDDEN", `This key lacks the "${scope}" scope.`, {
      details: { required: scope },
    });
  }
}

function isNamespaceList(value: RelativeNamespaces): value is readonly (readonly string[])[] {
  return value.length > 0 && value.every((item) => Array.isArray(item));
}

function resolveList(principal: Principal, value: RelativeNamespaces | undefined): Namespace[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [resolveNamespace(principal, value)];
  if (isNamespaceList(value)) {
    if (value.length > 32) {
      throw new EngramError("INVALID_ARGUMENT", "A scope lists at most 32 namespaces.", {
        details: { issues: [{ path: ["namespace"], message: "at most 32 namespaces" }] },
      });
    }
    return value.map((item) => resolveNamespace(principal, item));
  }
  return [resolveNamespace(principal, value)];
}

/** Resolves a relative scope to an absolute one inside the caller's root. */
export function resolveScope(principal: Principal, scope: RelativeScope): Scope {
  if (principal.root.length === 0) {
    // Without keys the caller's root is the store's, which holds no memories itself.
    for (const field of ["namespace", "within"] as const) {
      const value = scope[field];
      if (Array.isArray(value) && value.length === 0)
        throw new EngramError(
          "INVALID_NAMESPACE",
          `\`${field}: []\` is the whole store, which a scope cannot name without API keys: give a namespace with at least one segment, e.g. \`${field}: ["acme"]\`.`,
          { details: { issues: [{ path: [field], message: "at least one segment" }] } },
        );
    }
  }
  const namespace = resolveList(principal, scope.namespace);
  const within = resolveList(principal, scope.within);
  if (namespace.length === 0 && within.length === 0) {
    if (principal.root.length === 0) {
      // Without keys the caller has no root to default to.
      throw new EngramError(
        "INVALID_ARGUMENT",
        "Give `namespace` or `within`: without API keys there is no root to default to.",
        { details: { issues: [{ path: ["namespace"], message: "Required" }] } },
      );
    }
    return { within: resolveNamespace(principal, []) };
  }
  return {
    namespace: namespace.length > 0 ? namespace : undefined,
    within: within.length > 0 ? within : undefined,
  };
}

// The filter fields passed on to core; anything else a caller sends stays behind.
const FILTER_FIELDS = [
  "kinds",
  "tags",
  "metadata",
  "createdAfter",
  "createdBefore",
  "updatedAfter",
  "updatedBefore",
  "pinned",
] as const satisfies readonly (keyof MemoryFilter)[];

export function pickFilter(options: MemoryFilter): MemoryFilter {
  return Object.fromEntries(FILTER_FIELDS.map((field) => [field, options[field]])) as MemoryFilter;
}
