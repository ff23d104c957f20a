import { encodeNamespace, type Namespace, validateNamespace } from "../namespace/namespace.js";
import type { MemoryContext } from "./context.js";

/** Erases a whole subtree (the namespace and everything beneath it) and returns how many memories went. */
export async function forgetNamespace(context: MemoryContext, prefix: Namespace): Promise<number> {
  const valid = validateNamespace(prefix);
  await context.ready();
  return context.serialize(() => context.backend.deleteSubtree(encodeNamespace(valid)));
}
