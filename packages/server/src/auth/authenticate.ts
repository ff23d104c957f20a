import { EngramError } from "@engram/core";
import { localPrincipal, type Principal } from "../tenancy/principal.js";
import type { KeyStore } from "./key-store.js";

/** The principal a request's `Authorization: Bearer <key>` header names; throws `UNAUTHENTICATED`. */
export async function authenticate(
  keyStore: KeyStore,
  authorization: string | undefined,
): Promise<Principal> {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    throw new EngramError("UNAUTHENTICATED", "Send an API key as `Authorization: Bearer <key>`.");
  }
  const key = await keyStore.verify(match[1]!);
  if (!key) throw new EngramError("UNAUTHENTICATED", "This API key is not valid or was revoked.");
  return { keyId: key.id, root: key.root, scopes: key.scopes };
}

/**
 * Like `authenticate`, but with `localWhileNoKeys` a request that sends no key is the local
 * admin for as long as the store holds no keys; a request that sends one is always checked.
 */
export async function authenticateRequest(
  keyStore: KeyStore,
  authorization: string | undefined,
  localWhileNoKeys: boolean,
): Promise<Principal> {
  if (localWhileNoKeys && authorization === undefined && (await keyStore.list()).length === 0)
    return localPrincipal();
  return authenticate(keyStore, authorization);
}
