import { EngramError } from "../errors/engram-error.js";

/** An ordered tuple of segments, most general first: `["acme", "users", "alice"]`. */
export type Namespace = readonly string[];

/** The most segments a namespace may have. */
export const MAX_NAMESPACE_DEPTH = 16;
/** The longest a single segment may be, in characters. */
export const MAX_SEGMENT_LENGTH = 128;

// Letters, digits and a few punctuation marks common in ids and e-mail addresses.
// `/` (the encoding's separator) and `%` (its escape) are deliberately absent.
const SEGMENT_CHARACTERS = /^[A-Za-z0-9_\-.@+=~:]+$/;
const ONLY_DOTS = /^\.+$/;

function invalid(message: string, namespace: unknown, index?: number): EngramError {
  return new EngramError("INVALID_NAMESPACE", message, {
    details: index === undefined ? { namespace } : { namespace, segment: index },
  });
}

/** Checks a namespace and returns it frozen; throws `INVALID_NAMESPACE` with the reason. */
export function validateNamespace(namespace: unknown): Namespace {
  if (!Array.isArray(namespace)) {
    throw invalid(
      'A namespace is an array of string segments, e.g. ["acme", "users", "alice"].',
      namespace,
    );
  }
  if (namespace.length === 0) throw invalid("A namespace needs at least one segment.", namespace);
  if (namespace.length > MAX_NAMESPACE_DEPTH) {
    throw invalid(`A namespace has at most ${MAX_NAMESPACE_DEPTH} segments.`, namespace);
  }
  namespace.forEach((segment: unknown, index) => {
    if (typeof segment !== "string")
      throw invalid(`Segment ${index} is not a string.`, namespace, index);
    if (segment.length === 0) throw invalid(`Segment ${index} is empty.`, namespace, index);
    if (segment.length > MAX_SEGMENT_LENGTH) {
      throw invalid(
        `Segment ${index} is longer than ${MAX_SEGMENT_LENGTH} characters.`,
        namespace,
        index,
      );
    }
    if (ONLY_DOTS.test(segment)) {
      throw invalid(`Segment ${index} ("${segment}") looks like path traversal.`, namespace, index);
    }
    if (!SEGMENT_CHARACTERS.test(segment)) {
      throw invalid(
        `Segment ${index} has a character outside A-Z a-z 0-9 _ - . @ + = ~ : (separators such as / are not allowed).`,
        namespace,
        index,
      );
    }
  });
  return Object.freeze([...namespace]) as Namespace;
}

/**
 * Encodes a valid namespace as one string, injectively: segments are joined with `/`
 * and `:` becomes `%3A`, so the result never contains `:` (safe inside colon-separated
 * keys) and `["a:b"]` and `["a", "b"]` stay distinct.
 */
export function encodeNamespace(namespace: Namespace): string {
  return namespace.map((segment) => segment.replaceAll(":", "%3A")).join("/");
}

/** The tenant of an encoded namespace: its first segment, encoded. */
export function tenantOf(encodedNamespace: string): string {
  const slash = encodedNamespace.indexOf("/");
  return slash === -1 ? encodedNamespace : encodedNamespace.slice(0, slash);
}

/** Inverse of `encodeNamespace`. */
export function decodeNamespace(encoded: string): Namespace {
  return Object.freeze(encoded.split("/").map((segment) => segment.replaceAll("%3A", ":")));
}

/** The encoded namespace and each of its ancestors, shortest first: `a`, `a/b`, `a/b/c`. */
export function encodedAncestors(namespace: Namespace): string[] {
  return namespace.map((_, index) => encodeNamespace(namespace.slice(0, index + 1)));
}

/** True when `namespace` equals `prefix` or lies beneath it. */
export function isWithin(namespace: Namespace, prefix: Namespace): boolean {
  return (
    prefix.length <= namespace.length &&
    prefix.every((segment, index) => namespace[index] === segment)
  );
}

/** Who a memory belongs to; each present field adds a labelled level to the namespace. */
export interface Identity {
  tenant: string;
  space?: string;
  user?: string;
  agent?: string;
  session?: string;
}

/**
 * Builds the canonical namespace for an identity:
 * `{ tenant: "acme", user: "alice", agent: "planner" }` → `["acme", "users", "alice", "agents", "planner"]`.
 * A named space (a team, a project, a crew) sits right under the tenant: `["acme", "spaces", "crew-1"]`.
 */
export function namespaceFor(identity: Identity): Namespace {
  const segments = [identity.tenant];
  if (identity.space !== undefined) segments.push("spaces", identity.space);
  if (identity.user !== undefined) segments.push("users", identity.user);
  if (identity.agent !== undefined) segments.push("agents", identity.agent);
  if (identity.session !== undefined) segments.push("sessions", identity.session);
  return validateNamespace(segments);
}
