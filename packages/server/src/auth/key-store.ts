import type { Namespace } from "@engram/core";
import type { KeyScope } from "../tenancy/principal.js";

/** An API key as stored and listed: never the secret itself. */
export interface ApiKeyInfo {
  id: string;
  name: string | undefined;
  root: Namespace;
  scopes: KeyScope[];
  createdAt: string;
}

export interface CreateKeyInput {
  root: Namespace;
  scopes: readonly KeyScope[];
  name?: string | undefined;
}

/**
 * Where API keys live. Secrets are stored only as hashes; `create` returns the secret once.
 * The file store is the default; a Redis-backed store can implement the same interface.
 */
export interface KeyStore {
  create(input: CreateKeyInput): Promise<{ key: ApiKeyInfo; secret: string }>;
  list(): Promise<ApiKeyInfo[]>;
  /** Returns false when no key has this id. */
  revoke(id: string): Promise<boolean>;
  /** The key a presented secret belongs to, or `undefined`. Compares hashes in constant time. */
  verify(secret: string): Promise<ApiKeyInfo | undefined>;
}
