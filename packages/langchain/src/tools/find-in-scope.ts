import { EngramError, isWithin, type MemoryRecord, type Namespace } from "@engram/core";
import type { ResolvedToolsOptions } from "./options.js";

/**
 * The memory `id` names, if the tools' scope for this run reaches it. A memory of another user
 * or tenant is reported exactly as a missing one, so ids reveal nothing across namespaces.
 */
export async function findInScope(
  options: ResolvedToolsOptions,
  namespace: Namespace,
  id: string,
): Promise<MemoryRecord> {
  const found = await options.memory.get(id).catch((error: unknown) => {
    // A malformed id is the model's mistake; say so in the same words as a missing one.
    if (EngramError.isInstance(error) && error.code === "INVALID_ARGUMENT") return undefined;
    throw error;
  });
  const reachable =
    found !== undefined &&
    (options.scope === "within"
      ? isWithin(found.namespace, namespace)
      : found.namespace.length === namespace.length && isWithin(found.namespace, namespace));
  if (!reachable) {
    throw new EngramError(
      "NOT_FOUND",
      `No memory with id ${id} in this memory. Use an id from search results or recalled memories.`,
      { details: { id } },
    );
  }
  return found;
}
