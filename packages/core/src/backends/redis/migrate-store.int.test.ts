import { randomUUID } from "node:crypto";
import { createClient, createCluster } from "redis";
import { afterAll, expect, inject, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { startRedisCluster, type TestRedisCluster } from "../../testing/redis-cluster.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { clusterConnection } from "./cluster-client.js";
import type { RedisConnection } from "./connect.js";
import { scanStore, storeNodes } from "./drop-store.js";
import { escapeGlob, redisKeys } from "./keys.js";
import { migrateStore } from "./migrate-store.js";
import { redisBackend } from "./redis-backend.js";
import { AS_BUFFERS, type RedisClientLike } from "./redis-client.js";

const url = inject("redisUrl");

/**
 * Rewrites a store into the layout before per-tenant hash tags, as Engram up to this change
 * wrote it: every key `{prefix}:<kind>:<rest>`, one namespace registry, one vector map, one
 * near-duplicate counter, no tenant registry and no id directory.
 */
async function toOldLayout(client: RedisClientLike, from: string, to: string) {
  const keys = redisKeys(from);
  const old = (rest: string) => `{${to}}:${rest}`;
  for (const node of await storeNodes(client)) {
    for await (const found of scanStore(node, `${escapeGlob(keys.root)}*`, keys.owns)) {
      for (const key of found) {
        const kind = key.slice(keys.root.length, key.indexOf(":", keys.root.length));
        const rest = key.slice(key.indexOf("}", keys.root.length) + 2);
        if (["tenants", "home", "commit"].includes(kind)) continue;
        if (kind === "namespaces") {
          for (const namespace of (await node.sendCommand(["ZRANGE", key, "0", "-1"])) as string[])
            await client.sendCommand(["ZADD", old("namespaces"), "0", namespace]);
          continue;
        }
        if (kind === "vectors") {
          const pairs = (await node.sendCommand(["HGETALL", key])) as string[];
          if (pairs.length > 0) await client.sendCommand(["HSET", old("vectors"), ...pairs]);
          continue;
        }
        const target =
          kind === "meta"
            ? old("meta")
            : kind === "near"
              ? old("near:seq")
              : old(`${kind}:${rest}`);
        const payload = (await node.sendCommand(["DUMP", key], AS_BUFFERS)) as Buffer;
        await client.sendCommand(["RESTORE", target, "0", payload, "REPLACE"]);
      }
    }
  }
}

/** Writes a store, turns it into the old layout, and checks it is refused, migrated, and whole. */
async function migrationRoundTrip(connection: RedisConnection, admin: RedisClientLike) {
  const written = `written-${randomUUID()}`;
  const prefix = `old-${randomUUID()}`;
  const embedder = createTestEmbedder();
  const open = (name: string) =>
    createMemory({
      backend: redisBackend(connection, { prefix: name, mode: "plain", log: () => undefined }),
      embedder,
    });
  const before = open(written);
  const [invoice, plants] = await before.remember([
    { namespace: ["acme", "users", "ann"], content: "The invoice for March was paid late" },
    { namespace: ["globex"], content: "The office plants need water on Mondays", key: "plants" },
  ]);
  await before.update(plants!.id, { content: "The office plants need water on Fridays" });
  await before.messages.append({
    namespace: ["acme", "users", "ann"],
    threadId: "chat",
    messages: [{ role: "user", content: "Was the March invoice paid?" }],
  });
  const history = await before.history(plants!.id);
  await before.close();
  await toOldLayout(admin, written, prefix);
  const dropper = redisBackend(connection, { prefix: written, log: () => undefined });
  await dropper.drop();
  await dropper.close();

  // Opening it as it is would show an empty store: it is refused, naming the way out.
  const refused = open(prefix);
  await expect(refused.list({ namespace: ["acme"] })).rejects.toMatchObject({
    code: "BACKEND_ERROR",
    details: { prefix, migrate: "migrateStore" },
  });
  await refused.close();

  const report = await migrateStore(connection, { prefix });
  expect(report).toMatchObject({ memories: 2, tenants: 2 });
  const after = open(prefix);
  expect(await after.namespaces()).toEqual([["acme", "users", "ann"], ["globex"]]);
  expect((await after.get(invoice!.id))?.content).toBe("The invoice for March was paid late");
  expect((await after.get(plants!.id))?.content).toBe("The office plants need water on Fridays");
  expect(await after.history(plants!.id)).toEqual(history);
  const hits = await after.recall({ within: [["acme"], ["globex"]], query: "invoice paid late" });
  expect(hits[0]?.id).toBe(invoice!.id);
  const window = await after.messages.list({
    namespace: ["acme", "users", "ann"],
    threadId: "chat",
  });
  expect(JSON.stringify(window)).toContain("Was the March invoice paid?");
  // Writes go on in the new layout, keys and all.
  await expect(
    after.remember({ namespace: ["globex"], content: "Another plant note", key: "plants" }),
  ).resolves.toMatchObject({ id: plants!.id });
  // Nothing of the old layout is left, and migrating again finds nothing to do.
  const root = `{${prefix}}:`;
  const node = admin.routing ? await admin.routing.nodeOf(`${root}meta`) : admin;
  const [, left] = (await node.sendCommand([
    "SCAN",
    "0",
    "MATCH",
    `${escapeGlob(root)}*`,
    "COUNT",
    "100000",
  ])) as [string, string[]];
  expect(left).toEqual([]);
  expect(await migrateStore(connection, { prefix })).toMatchObject({ moved: 0, memories: 0 });
  const cleanup = redisBackend(connection, { prefix, log: () => undefined });
  await cleanup.drop();
  await cleanup.close();
  await after.close();
}

it("refuses a store in the old layout, and migrateStore moves it whole (single node)", async () => {
  const admin = createClient({ url });
  await admin.connect();
  try {
    await migrationRoundTrip({ url }, admin as unknown as RedisClientLike);
  } finally {
    await admin.close();
  }
});

it("migrates into a layout of two-segment tenants (tenantSegments 2)", async () => {
  const admin = createClient({ url });
  await admin.connect();
  const client = admin as unknown as RedisClientLike;
  const written = `written-${randomUUID()}`;
  const prefix = `old-${randomUUID()}`;
  const embedder = createTestEmbedder();
  const open = (name: string, tenantSegments?: number) =>
    createMemory({
      backend: redisBackend(
        { url },
        { prefix: name, mode: "plain", log: () => undefined, tenantSegments },
      ),
      embedder,
    });
  try {
    const before = open(written);
    const [ann, bee] = await before.remember([
      { namespace: ["org", "a", "users", "ann"], content: "The invoice for March was paid late" },
      { namespace: ["org", "b"], content: "The invoice for April was paid late too" },
    ]);
    await before.messages.append({
      namespace: ["org", "a", "users", "ann"],
      threadId: "chat",
      messages: [{ role: "user", content: "Was the March invoice paid?" }],
    });
    await before.close();
    await toOldLayout(client, written, prefix);
    const dropper = redisBackend({ url }, { prefix: written, log: () => undefined });
    await dropper.drop();
    await dropper.close();

    expect(await migrateStore({ url }, { prefix, tenantSegments: 2 })).toMatchObject({
      memories: 2,
      tenants: 2,
    });
    // The store says its depth: opened with the default, it is refused.
    const shallow = open(prefix);
    await expect(shallow.list({ namespace: ["org", "b"] })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await shallow.close();
    const after = open(prefix, 2);
    const keys = redisKeys(prefix, 2);
    expect(await admin.exists(keys.namespaceIds("org/a/users/ann"))).toBe(1);
    expect(await admin.exists(keys.events("org/a"))).toBe(1);
    expect(await admin.exists(keys.events("org"))).toBe(0);
    const hits = await after.recall({ within: ["org"], query: "invoice paid late" });
    expect(hits.map((hit) => hit.id).sort()).toEqual([ann!.id, bee!.id].sort());
    const threads = await after.threads.list({ within: ["org"] });
    expect(threads.threads.map((thread) => thread.id)).toEqual(["chat"]);
    // The old stream's events, split by tenant under their own ids.
    const events: string[] = [];
    const subscription = await after.subscribe(
      { within: ["org"] },
      (event) => {
        events.push(event.memoryId);
      },
      { since: "0-0" },
    );
    await expect.poll(() => events.length).toBe(2);
    await subscription.close();
    expect(events.sort()).toEqual([ann!.id, bee!.id].sort());
    const cleanup = redisBackend({ url }, { prefix, log: () => undefined, tenantSegments: 2 });
    await cleanup.drop();
    await cleanup.close();
    await after.close();
  } finally {
    await admin.close();
  }
});

let cluster: TestRedisCluster | undefined;
afterAll(() => cluster?.stop());

it("migrates a store in the old layout on a cluster, its tenants spreading", async () => {
  cluster = await startRedisCluster();
  const client = createCluster({ rootNodes: cluster.urls.map((each) => ({ url: each })) });
  await client.connect();
  try {
    await migrationRoundTrip({ client }, clusterConnection(client as never));
  } finally {
    await client.close();
  }
}, 120_000);
