import { createMemory, keySlot, redisBackend, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { startRedisCluster } from "@engram/core/testing/redis-cluster";
import { emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import { createCluster } from "redis";
import { afterAll, expect, it } from "vitest";
import { uniquePrefix } from "../../test/redis.js";
import { RedisSaver } from "./redis-saver.js";

// The official conformance suite and namespace erasure, with RedisSaver on a 3-master Redis
// Cluster (or the one REDIS_CLUSTER_URLS names): threads spread over the shards.
const cluster = await startRedisCluster();
const client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
client.on("error", () => undefined);
await client.connect();
afterAll(async () => {
  await client.close();
  await cluster.stop();
});

/** Every key under a prefix, from every master (SCAN: tests only). */
async function keysUnder(prefix: string): Promise<string[]> {
  const found: string[] = [];
  for (const master of client.masters) {
    const node = await client.nodeClient(master);
    for await (const batch of node.scanIterator({ MATCH: `*${prefix}*`, COUNT: 1000 }))
      found.push(...batch);
  }
  return found;
}

validate<RedisSaver>({
  checkpointerName: "@engram/langgraph RedisSaver (Redis Cluster)",
  createCheckpointer: () => new RedisSaver({ client, prefix: uniquePrefix("cluster") }),
  destroyCheckpointer: (saver) => saver.close(),
});

it("erases a user's threads on every shard when core forgets the user", async () => {
  const prefix = uniquePrefix("cluster-forget");
  const saver = new RedisSaver({
    client,
    prefix,
    namespaceOf: (config) => {
      const user = config.configurable?.user_id;
      return user === undefined ? undefined : ["acme", "users", String(user)];
    },
  });
  const memory = createMemory({
    backend: sqliteBackend({ path: ":memory:" }),
    embedder: createTestEmbedder(),
  });
  const detach = memory.attach(saver);
  const meta = { source: "loop" as const, step: 0, parents: {} };
  const threads = Array.from({ length: 20 }, (_, i) => `thread-${i}`);
  for (const [i, thread] of threads.entries()) {
    const user = i % 2 === 0 ? "ann" : "bob";
    await saver.put(
      { configurable: { thread_id: thread, checkpoint_ns: "", user_id: user } },
      { ...emptyCheckpoint(), id: uuid6(i) },
      meta,
      {},
    );
  }
  // The threads' hash tags put them on all three masters.
  const owners = new Set(
    threads.map((thread) => client.getSlotMaster(keySlot(`{${thread}}`)).address),
  );
  expect(owners.size).toBe(3);
  await memory.forgetNamespace(["acme", "users", "ann"]);
  const left = await keysUnder(prefix);
  expect(left.some((key) => key.includes("thread-0}"))).toBe(false);
  expect(left.some((key) => key.includes("thread-1}"))).toBe(true);
  expect(
    await saver.getTuple({ configurable: { thread_id: "thread-2", checkpoint_ns: "" } }),
  ).toBeUndefined();
  expect(
    await saver.getTuple({ configurable: { thread_id: "thread-3", checkpoint_ns: "" } }),
  ).toBeDefined();
  detach();
  await memory.close();
  await saver.close();
});

it("erases a user's memories, conversations and checkpoints, all on the cluster, across shards", async () => {
  const prefix = uniquePrefix("cluster-erase");
  const saver = new RedisSaver({
    client,
    prefix,
    namespaceOf: (config) => {
      const user = config.configurable?.user_id;
      return user === undefined ? undefined : ["acme", "users", String(user)];
    },
  });
  const backend = redisBackend(
    { client },
    { prefix: `${prefix}-memory`, mode: "plain", log: () => undefined },
  );
  const memory = createMemory({ backend, embedder: createTestEmbedder() });
  const detach = memory.attach(saver);
  const meta = { source: "loop" as const, step: 0, parents: {} };
  const threads = Array.from({ length: 12 }, (_, i) => `thread-${i}`);
  for (const [i, thread] of threads.entries()) {
    const user = i % 2 === 0 ? "ann" : "bob";
    await saver.put(
      { configurable: { thread_id: thread, checkpoint_ns: "", user_id: user } },
      { ...emptyCheckpoint(), id: uuid6(i) },
      meta,
      {},
    );
  }
  const owners = new Set(
    threads.map((thread) => client.getSlotMaster(keySlot(`{${thread}}`)).address),
  );
  expect(owners.size).toBe(3);
  for (const user of ["ann", "bob"]) {
    const namespace = ["acme", "users", user];
    await memory.remember({ namespace, content: `${user} prefers tea` });
    await memory.messages.append({
      namespace,
      threadId: "chat",
      messages: [{ role: "user", content: `hello from ${user}` }],
    });
  }
  // deleteThread removes one thread's keys, wherever its slot is.
  await saver.deleteThread("thread-1");
  expect((await keysUnder(prefix)).some((key) => key.includes("thread-1}"))).toBe(false);

  await memory.forgetNamespace(["acme", "users", "ann"]);
  const ann = ["acme", "users", "ann"];
  const bob = ["acme", "users", "bob"];
  expect((await memory.list({ namespace: ann })).memories).toEqual([]);
  expect((await memory.list({ namespace: bob })).memories).toHaveLength(1);
  expect(
    JSON.stringify(await memory.messages.list({ namespace: ann, threadId: "chat" })),
  ).not.toContain("hello");
  expect(
    JSON.stringify(await memory.messages.list({ namespace: bob, threadId: "chat" })),
  ).toContain("hello from bob");
  const left = await keysUnder(prefix);
  expect(left.some((key) => key.includes("thread-0}"))).toBe(false);
  expect(left.some((key) => key.includes("thread-3}"))).toBe(true);
  detach();
  await backend.drop();
  await memory.close();
  await saver.close();
});
