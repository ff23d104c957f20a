import { encodeNamespace, type Namespace, validateNamespace } from "../namespace/namespace.js";
import type { MemoryRecord } from "../record/memory-record.js";
import { idSchema, keySchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";

/** Which memory `get` reads: an id, or the key a memory was remembered under in a namespace. */
export type MemoryAddress = string | { namespace: Namespace; key: string };

/** One memory by id or by namespace and key, or `undefined` if there is none (or it expired). */
export async function get(
  context: MemoryContext,
  address: MemoryAddress,
): Promise<MemoryRecord | undefined> {
  if (typeof address === "object" && address !== null) {
    const namespace = validateNamespace(address.namespace);
    const key = parseInput(keySchema, address.key, "key");
    await context.ready();
    return context.backend.getByKey(encodeNamespace(namespace), key, context.now());
  }
  const valid = parseInput(idSchema, address, "id");
  await context.ready();
  const [memory] = await context.backend.get([valid], context.now());
  return memory;
}
