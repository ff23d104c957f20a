import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace, type Namespace, validateNamespace } from "./namespace.js";

/**
 * Where an operation looks: exact namespaces, whole subtrees, or both (their union).
 * `{ namespace: ns }` matches `ns` only; `{ within: prefix }` matches `prefix` and
 * everything beneath it. Either may be a list, e.g. a crew's shared space together with
 * one member's own namespace.
 */
export interface Scope {
  namespace?: Namespace | readonly Namespace[] | undefined;
  within?: Namespace | readonly Namespace[] | undefined;
}

/** A validated scope in encoded form, as backends receive it. */
export interface ResolvedScope {
  /** Encoded namespaces matched exactly. */
  readonly exact: readonly string[];
  /** Encoded prefixes whose whole subtree matches. */
  readonly prefixes: readonly string[];
}

function asList(value: Namespace | readonly Namespace[] | undefined): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [value];
  // A list of namespaces holds arrays; a single namespace holds strings.
  return value.length > 0 && value.every((item) => Array.isArray(item)) ? [...value] : [value];
}

/** True when the encoded namespace lies in the encoded subtree `prefix`. */
export function encodedIsWithin(encoded: string, prefix: string): boolean {
  return encoded === prefix || encoded.startsWith(`${prefix}/`);
}

/** Validates and normalises a scope; throws `INVALID_NAMESPACE` or `INVALID_ARGUMENT`. */
export function resolveScope(scope: Scope): ResolvedScope {
  const within = asList(scope.within).map((prefix) => encodeNamespace(validateNamespace(prefix)));
  const exact = asList(scope.namespace).map((ns) => encodeNamespace(validateNamespace(ns)));
  if (within.length === 0 && exact.length === 0) {
    throw new EngramError("INVALID_ARGUMENT", "Give a `namespace` or a `within` prefix.", {
      details: { issues: [{ path: ["namespace"], message: "Required" }] },
    });
  }
  // Drop what another entry already covers, so backends never scan twice.
  const prefixes = [...new Set(within)].filter(
    (prefix, _, all) => !all.some((other) => other !== prefix && encodedIsWithin(prefix, other)),
  );
  const exacts = [...new Set(exact)].filter(
    (ns) => !prefixes.some((prefix) => encodedIsWithin(ns, prefix)),
  );
  return { exact: exacts, prefixes };
}

/** True when an encoded namespace is inside a resolved scope. */
export function scopeIncludes(scope: ResolvedScope, encoded: string): boolean {
  return (
    scope.exact.includes(encoded) ||
    scope.prefixes.some((prefix) => encodedIsWithin(encoded, prefix))
  );
}
