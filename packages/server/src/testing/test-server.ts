import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Backend, createMemory, type Memory, redisBackend, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import type {} from "@engram/core/testing/redis-cluster-global-setup";
import { dropRedisPrefix } from "@engram/core/testing/redis-global-setup";
import { createClient, createCluster, RESP_TYPES } from "redis";
import { inject } from "vitest";
import { fileKeyStore } from "../auth/file-key-store.js";
import type { KeyStore } from "../auth/key-store.js";
import type { RateLimitOptions } from "../http/rate-limiter.js";
import { startServer } from "../serve/start-server.js";
import type { KeyScope } from "../tenancy/principal.js";

export interface TestServer {
  url: string;
  directory: string;
  memory: Memory;
  keyStore: KeyStore;
  /** Every byte the store holds, as one string: equal snapshots mean nothing was written. */
  snapshot(): Promise<string>;
  /** Creates a key and returns its secret. */
  key(root: string[], scopes?: KeyScope[]): Promise<string>;
  /** fetch against the server with a key (or none) and an optional JSON body. */
  request(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * A request through node:http that resolves on the response even when the server answers
 * before the body is sent (an early 413), which fetch reports as a socket error.
 */
export function rawRequest(
  url: string,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const target = new URL(options.path, url);
    const outgoing = httpRequest(
      target,
      { method: options.method, headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", () => undefined);
        response.on("end", () => {
          settled = true;
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    outgoing.on("error", (error) => {
      if (!settled) setTimeout(() => (settled ? undefined : reject(error)), 200);
    });
    outgoing.end(options.body);
  });
}

/**
 * The backend the tests run on: the vitest project sets ENGRAM_TEST_BACKEND (sqlite, redis, or
 * redis-cluster: the Redis backend on a cluster client, in plain mode).
 */
export const TEST_BACKEND = process.env.ENGRAM_TEST_BACKEND?.startsWith("redis")
  ? "redis"
  : "sqlite";
const ON_CLUSTER = process.env.ENGRAM_TEST_BACKEND === "redis-cluster";

/**
 * A fresh store on the project's backend (SQLite in `directory`, or Redis, on one node or a
 * cluster, under its own prefix).
 */
export function testBackend(directory: string): {
  backend: Backend;
  /** Every stored byte, as one string: equal snapshots mean an unchanged store. */
  snapshot(): Promise<string>;
  drop(): Promise<void>;
} {
  if (ON_CLUSTER) {
    const urls = inject("redisClusterUrls");
    const client = createCluster({ rootNodes: urls.map((url) => ({ url })) });
    client.on("error", () => undefined);
    const prefix = `server-test-${randomUUID()}`;
    const backend = redisBackend({ client }, { prefix, mode: "plain", log: () => undefined });
    return {
      backend,
      snapshot: () => redisClusterSnapshot(urls, prefix),
      async drop() {
        await backend.drop();
        await backend.close();
        await client.close();
      },
    };
  }
  if (TEST_BACKEND === "redis") {
    const url = inject("redisUrl");
    const prefix = `server-test-${randomUUID()}`;
    return {
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      snapshot: () => redisSnapshot(url, prefix),
      drop: () => dropRedisPrefix(url, prefix),
    };
  }
  const path = join(directory, "memory.db");
  return {
    backend: sqliteBackend({ path, pollMs: 20 }),
    snapshot: async () => sqliteSnapshot(path),
    drop: async () => undefined,
  };
}

// Every key under the prefix with its type, value and absolute expiry, in a canonical order
// (DUMP is not: a large hash's field order may change without any write).
async function redisSnapshot(url: string, prefix: string): Promise<string> {
  const client = createClient({ url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  await client.connect();
  // Replies as plain JSON: bytes in base64, maps as [field, value] pairs.
  const plain = (reply: unknown): unknown => {
    if (Buffer.isBuffer(reply)) return reply.toString("base64");
    if (Array.isArray(reply)) return reply.map(plain);
    if (reply instanceof Map)
      return [...reply].map(([field, value]) => [plain(field), plain(value)]);
    if (reply && typeof reply === "object") {
      return Object.entries(reply).map(([field, value]) => [field, plain(value)]);
    }
    return reply;
  };
  const sorted = (items: unknown) =>
    (items as unknown[]).map((item) => JSON.stringify(item)).sort();
  const pairs = (flat: unknown) => {
    const items = flat as unknown[];
    if (items.every(Array.isArray)) return items;
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i += 2) out.push([items[i], items[i + 1]]);
    return out;
  };
  const command = async (args: string[]) => plain(await client.sendCommand(args));
  const read: Record<string, (key: string) => Promise<unknown>> = {
    string: (key) => command(["GET", key]),
    hash: async (key) => sorted(pairs(await command(["HGETALL", key]))),
    list: (key) => command(["LRANGE", key, "0", "-1"]),
    set: async (key) => sorted(await command(["SMEMBERS", key])),
    zset: (key) => command(["ZRANGE", key, "0", "-1", "WITHSCORES"]),
    stream: (key) => command(["XRANGE", key, "-", "+"]),
  };
  try {
    const keys: string[] = [];
    // The store's key layout: `<prefix>:<kind>:{<tag>}:...` (see @engram/core's README).
    for await (const batch of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
      keys.push(...batch.map(String));
    }
    keys.sort();
    const entries: unknown[] = [];
    for (const key of keys) {
      const type = String(await command(["TYPE", key]));
      const value = await (read[type] ?? ((name: string) => command(["DUMP", name])))(key);
      entries.push([key, type, value, await command(["PEXPIRETIME", key])]);
    }
    return JSON.stringify(entries);
  } finally {
    client.destroy();
  }
}

// The same over every master of a cluster: each key lives on exactly one of them.
async function redisClusterSnapshot(urls: string[], prefix: string): Promise<string> {
  const cluster = createCluster({ rootNodes: urls.map((url) => ({ url })) });
  cluster.on("error", () => undefined);
  await cluster.connect();
  try {
    const entries = await Promise.all(
      cluster.masters.map(async (master) => {
        const { host, port } = master;
        return JSON.parse(await redisSnapshot(`redis://${host}:${port}`, prefix)) as string[][];
      }),
    );
    return JSON.stringify(entries.flat().sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  } finally {
    await cluster.close();
  }
}

// Every row of every table (the schema included), read through a read-only connection.
function sqliteSnapshot(path: string): string {
  const database = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = database
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as { name: string; sql: string }[];
    const rows = tables.map(({ name, sql }) => {
      const quoted = `"${name.replaceAll('"', '""')}"`;
      const withRowid = !/WITHOUT ROWID/i.test(sql) && !/^CREATE VIRTUAL/i.test(sql);
      const order = withRowid ? " ORDER BY rowid" : "";
      const all = database.prepare(`SELECT * FROM ${quoted}${order}`).all();
      return [
        sql,
        JSON.stringify(all, (_, value) =>
          value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
        ),
      ];
    });
    return JSON.stringify(rows);
  } finally {
    database.close();
  }
}

/** A real server on an ephemeral loopback port, over the project's backend, in a fresh temp dir. */
export async function startTestServer(
  options: {
    keys?: boolean;
    localWhileNoKeys?: boolean;
    rateLimit?: RateLimitOptions | false;
    maxBodyBytes?: number;
  } = {},
): Promise<TestServer> {
  const directory = await mkdtemp(join(tmpdir(), "engram-server-"));
  const store = testBackend(directory);
  const memory = createMemory({ backend: store.backend, embedder: createTestEmbedder() });
  const keyStore = fileKeyStore({ path: join(directory, "keys.json") });
  const server = await startServer({
    memory,
    keyStore: options.keys === false ? undefined : keyStore,
    localWhileNoKeys: options.localWhileNoKeys,
    port: 0,
    rateLimit: options.rateLimit ?? false,
    maxBodyBytes: options.maxBodyBytes,
  });
  return {
    url: server.url,
    directory,
    memory,
    keyStore,
    snapshot: store.snapshot,
    async key(root, scopes = ["read", "write"]) {
      return (await keyStore.create({ root, scopes })).secret;
    },
    async request(method, path, requestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (requestOptions.key) headers.authorization = `Bearer ${requestOptions.key}`;
      let body: string | undefined = requestOptions.raw;
      if (requestOptions.body !== undefined) body = JSON.stringify(requestOptions.body);
      if (body !== undefined) headers["content-type"] ??= "application/json";
      const response = await fetch(`${server.url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await server.close();
      await memory.close();
      await store.drop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
