import type { Namespace } from "@engram/core";

/** What a key may do: read memories, write them, or erase whole subtrees. */
export type KeyScope = "read" | "write" | "admin";

/** Every scope, in the order they are usually granted. */
export const KEY_SCOPES: readonly KeyScope[] = ["read", "write", "admin"];

/** Who is calling: the namespace root every request is confined to, and what they may do. */
export interface Principal {
  /** The key's id, or `"local"` when the server runs without keys. */
  keyId: string;
  /** Every namespace the caller names is resolved beneath this root. Empty means unrestricted. */
  root: Namespace;
  scopes: readonly KeyScope[];
}

/** The caller when no keys are configured: a local admin with no root, reachable on loopback only. */
export function localPrincipal(root: Namespace = []): Principal {
  return { keyId: "local", root, scopes: KEY_SCOPES };
}
