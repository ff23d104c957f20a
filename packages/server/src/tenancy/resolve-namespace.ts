import { EngramError, isWithin, type Namespace, validateNamespace } from "@engram/core";
import type { Principal } from "./principal.js";

/**
 * Turns a namespace the caller gave (relative to its root) into the absolute one. The result
 * is the root followed by the caller's segments, checked by core's `validateNamespace`, so a
 * segment can never climb out: `..`, `/`, `%` and empty segments are all refused.
 */
export function resolveNamespace(principal: Principal, relative: unknown): Namespace {
  if (!Array.isArray(relative)) {
    throw new EngramError(
      "INVALID_NAMESPACE",
      'A namespace is an array of string segments, e.g. ["users", "alice"].',
      { details: { namespace: relative } },
    );
  }
  if (relative.length === 0 && principal.root.length === 0) {
    throw new EngramError(
      "INVALID_NAMESPACE",
      "Give a namespace with at least one segment: without an API key (or `engram mcp --namespace`) there is no root to default to.",
      { details: { namespace: relative } },
    );
  }
  try {
    return validateNamespace([...principal.root, ...relative]);
  } catch (error) {
    // Report segment positions as the caller sees them, without revealing the root.
    if (EngramError.isInstance(error)) {
      const segment = error.details?.segment;
      throw new EngramError("INVALID_NAMESPACE", stripRoot(error.message, principal), {
        details:
          typeof segment === "number"
            ? { namespace: relative, segment: segment - principal.root.length }
            : { namespace: relative },
      });
    }
    throw error;
  }
}

function stripRoot(message: string, principal: Principal): string {
  return message.replace(/Segment (\d+)/, (_, index: string) => {
    return `Segment ${Number(index) - principal.root.length}`;
  });
}

/** The namespace as the caller sees it: the part beneath its root. */
export function relativeNamespace(principal: Principal, absolute: Namespace): string[] {
  return absolute.slice(principal.root.length);
}

/** True when an absolute namespace is inside the caller's root. */
export function isVisible(principal: Principal, absolute: Namespace): boolean {
  return isWithin(absolute, principal.root);
}

/** Parses a namespace written as a path, `users/alice`; an empty string is the root itself. */
export function parseNamespacePath(path: string): string[] {
  return path === "" ? [] : path.split("/");
}
