import { type Namespace, validateNamespace } from "@engram/core";

/** Parses `a/b/c` from the command line into a validated namespace. */
export function namespaceOption(path: string): Namespace {
  return validateNamespace(path.split("/"));
}
