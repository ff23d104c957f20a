import { EngramError, type Namespace, validateNamespace } from "@engram/core";

/**
 * The namespace a tool call names, beneath the root the application bound: the root followed by
 * the call's segments, checked by core's `validateNamespace`. A segment can never climb out
 * (`..`, `/`, `%` and empty segments are refused), so every result lies within the root.
 */
export function namespaceBeneath(
  root: Namespace,
  relative: readonly string[] | undefined,
): Namespace {
  if (relative === undefined || relative.length === 0) return root;
  try {
    return validateNamespace([...root, ...relative]);
  } catch (cause) {
    // Tell the model what went wrong in its own terms, without revealing the root.
    throw new EngramError(
      "INVALID_NAMESPACE",
      `${JSON.stringify(relative)} is not a namespace inside this memory space. A namespace here is a path of at most ${16 - root.length} segments beneath it, each 1-128 characters of A-Z a-z 0-9 _ - . @ + = ~ : (no "/", no ".." or other dot-only segments).`,
      { details: { namespace: [...relative] }, cause },
    );
  }
}

/** The namespace as a tool call sees it: the segments beneath the root. */
export function namespaceRelativeTo(root: Namespace, namespace: Namespace): string[] {
  return namespace.slice(root.length);
}
