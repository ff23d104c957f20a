import type { Memory } from "@engram/core";
import type { RelativeScope } from "../tenancy/relative-types.js";

/**
 * The whole store as a scope for a rootless caller (the local admin): every tenant, a
 * namespace's first segment. Undefined when the store is empty.
 */
export async function wholeStoreScope(memory: Memory): Promise<RelativeScope | undefined> {
  const tenants = [...new Set((await memory.namespaces()).map((namespace) => namespace[0]!))];
  return tenants.length === 0 ? undefined : { within: tenants.map((tenant) => [tenant]) };
}
