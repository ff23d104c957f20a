import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { EngramError, validateNamespace } from "@engram/core";
import { z } from "zod";
import { KEY_SCOPES } from "../tenancy/principal.js";
import { generateKeySecret, hashKeySecret, keyIdOf, secretMatches } from "./key-secret.js";
import type { ApiKeyInfo, KeyStore } from "./key-store.js";

/** Where keys live unless told otherwise. */
export const DEFAULT_KEY_FILE = ".engram/keys.json";

const storedKeySchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  root: z.array(z.string()),
  scopes: z.array(z.enum(KEY_SCOPES as ["read", "write", "admin"])),
  createdAt: z.string(),
  hash: z.string().regex(/^[a-f0-9]{64}$/),
});
const keyFileSchema = z.object({ version: z.literal(1), keys: z.array(storedKeySchema) });
type StoredKey = z.infer<typeof storedKeySchema>;

function toInfo(stored: StoredKey): ApiKeyInfo {
  return {
    id: stored.id,
    name: stored.name,
    root: stored.root,
    scopes: stored.scopes,
    createdAt: stored.createdAt,
  };
}

/**
 * Keys in a JSON file (mode 0600), hashed. The file is re-read when it changes on disk, so a
 * key revoked with `engram keys revoke` stops working in a running server at once.
 */
export function fileKeyStore(options: { path?: string } = {}): KeyStore {
  const path = options.path ?? DEFAULT_KEY_FILE;
  let cache: { mtimeMs: number; size: number; keys: StoredKey[] } | undefined;

  async function load(): Promise<StoredKey[]> {
    let info: { mtimeMs: number; size: number };
    try {
      info = await stat(path);
    } catch {
      cache = undefined;
      return [];
    }
    if (cache && cache.mtimeMs === info.mtimeMs && cache.size === info.size) return cache.keys;
    const text = await readFile(path, "utf8");
    let parsed: z.infer<typeof keyFileSchema>;
    try {
      parsed = keyFileSchema.parse(JSON.parse(text));
    } catch (cause) {
      throw new EngramError("INVALID_ARGUMENT", `The key file ${path} is not valid.`, { cause });
    }
    cache = { mtimeMs: info.mtimeMs, size: info.size, keys: parsed.keys };
    return parsed.keys;
  }

  async function save(keys: StoredKey[]): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ version: 1, keys }, null, 2)}\n`, {
      mode: 0o600,
    });
    await rename(temporary, path);
    cache = undefined;
  }

  return {
    async create(input) {
      const root = validateNamespace(input.root);
      const scopes = [...new Set(input.scopes)];
      if (scopes.length === 0 || scopes.some((scope) => !KEY_SCOPES.includes(scope))) {
        throw new EngramError("INVALID_ARGUMENT", `Scopes are some of ${KEY_SCOPES.join(", ")}.`);
      }
      const { id, secret } = generateKeySecret();
      const stored: StoredKey = {
        id,
        ...(input.name === undefined ? {} : { name: input.name }),
        root: [...root],
        scopes,
        createdAt: new Date().toISOString(),
        hash: hashKeySecret(secret),
      };
      await save([...(await load()), stored]);
      return { key: toInfo(stored), secret };
    },

    async list() {
      return (await load()).map(toInfo);
    },

    async revoke(id) {
      const keys = await load();
      const remaining = keys.filter((key) => key.id !== id);
      if (remaining.length === keys.length) return false;
      await save(remaining);
      return true;
    },

    async verify(secret) {
      const id = keyIdOf(secret);
      if (id === undefined) return undefined;
      const stored = (await load()).find((key) => key.id === id);
      return stored && secretMatches(secret, stored.hash) ? toInfo(stored) : undefined;
    },
  };
}
