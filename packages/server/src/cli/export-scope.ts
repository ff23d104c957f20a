import type { Memory } from "@engram/core";
import type { RelativeScope } from "../tenancy/relative-types.js";
import { wholeStoreScope } from "../transfer/whole-store-scope.js";
import { namespaceOption } from "./namespace-option.js";

/** What `export` and `stats` read: the `--within` subtree, or the whole store (undefined if empty). */
export async function exportScope(
  memory: Memory,
  within: string | undefined,
): Promise<RelativeScope | undefined> {
  if (within !== undefined) return { within: [...namespaceOption(within)] };
  return wholeStoreScope(memory);
}
