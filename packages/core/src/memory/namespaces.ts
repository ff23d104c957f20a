import { z } from "zod";
import {
  decodeNamespace,
  encodeNamespace,
  type Namespace,
  validateNamespace,
} from "../namespace/namespace.js";
import { encodedIsWithin } from "../namespace/scope.js";
import { parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";

export interface NamespacesOptions {
  /** Only namespaces equal to this prefix or beneath it. */
  within?: Namespace | undefined;
}

const optionsSchema = z.strictObject({ within: z.unknown().optional() });

/**
 * The namespaces that hold memories, sorted: for admin tools (stats, a whole-store export)
 * that must find every tenant. A memory past its expiry may still count until pruned.
 */
export async function namespaces(
  context: MemoryContext,
  raw: NamespacesOptions = {},
): Promise<Namespace[]> {
  const options = parseInput(optionsSchema, raw, "namespaces options");
  const prefix =
    options.within === undefined ? undefined : encodeNamespace(validateNamespace(options.within));
  await context.ready();
  const encoded = await context.backend.namespaces();
  return encoded
    .filter((namespace) => prefix === undefined || encodedIsWithin(namespace, prefix))
    .map(decodeNamespace);
}
