import type { Memory } from "@engram/core";
import type { RelativeScope } from "../tenancy/confine-memory.js";
import { namespaceOption } from "./namespace-option.js";

/**
 * What `export` and `stats` read: the `--within` subtree, or the whole store (every tenant,
 * a namespace's first segment). Undefined when the whole store is empty.
 */
export async function exportScope(
  memory: Memory,
  within: string | undefined,
): Promise<RelativeScope | undefined> {
  if (within !== undefined) return { within: [...namespaceOption(within)] };
  const tenants = [...new Set((await memory.namespaces()).map((namespace) => namespace[0]!))];
  return tenants.length === 0 ? undefined : { within: tenants.map((tenant) => [tenant]) };
}
