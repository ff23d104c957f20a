import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keysContaining, type TestClient, testClient, uniquePrefix } from "../../test/redis.js";
import type { RedisClientLike } from "./redis-client.js";
import { RedisSaver } from "./redis-saver.js";

const meta = { source: "loop" as const, step: 0, parents: {} };

describe("RedisSaver attached to a memory", () => {
  let client: TestClient;
  let prefix: string;

  beforeEach(async () => {
    client = await testClient();
    prefix = uniquePrefix("forget");
  });

  afterEach(async () => {
    const keys = await keysContaining(client, prefix);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  it("erases a user's threads when core forgets the user, and leaves no orphaned key", async () => {
    const saver = new RedisSaver({
      client: client as unknown as RedisClientLike,
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
    await memory.remember({ namespace: ["acme", "users", "ann"], content: "Ann likes tea" });

    const threads = [
      { thread_id: "ann-1", user_id: "ann" },
      { thread_id: "ann-2", user_id: "ann" },
      { thread_id: "annabel-1", user_id: "annabel" }, // a lexical neighbour, not a descendant
      { thread_id: "bob-1", user_id: "bob" },
      { thread_id: "anonymous" },
    ];
    for (const configurable of threads) {
      const config = await saver.put(
        { configurable: { ...configurable, checkpoint_ns: "" } },
        { ...emptyCheckpoint(), id: uuid6(-1) },
        meta,
        {},
      );
      await saver.putWrites(config, [["messages", "hi"]], "task");
      await saver.put(
        { configurable: { ...configurable, checkpoint_ns: "tool:1" } },
        { ...emptyCheckpoint(), id: uuid6(-1) },
        meta,
        {},
      );
    }

    const report = await memory.forgetNamespace(["acme", "users", "ann"]);
    expect(report).toEqual({
      memories: 1,
      threads: 0,
      messages: 0,
      workingMemories: 0,
      attached: { "langgraph-checkpoints": 2 },
    });

    const remaining = await keysContaining(client, prefix);
    expect(remaining.filter((key) => key.includes("{ann-"))).toEqual([]);
    expect(await client.sMembers(`{${prefix}}:namespace:acme/users/ann`)).toEqual([]);
    expect(await client.zRange(`{${prefix}}:namespaces`, 0, -1)).toEqual([
      "acme/users/annabel",
      "acme/users/bob",
    ]);
    expect((await client.zRange(`{${prefix}}:threads`, 0, -1)).sort()).toEqual([
      "annabel-1",
      "anonymous",
      "bob-1",
    ]);
    for (const thread of ["annabel-1", "bob-1", "anonymous"]) {
      expect(await saver.getTuple({ configurable: { thread_id: thread } })).toBeDefined();
    }

    // Forgetting the whole tenant takes the rest of the owned threads; the unowned one stays.
    expect(await memory.forgetNamespace(["acme"])).toMatchObject({
      attached: { "langgraph-checkpoints": 2 },
    });
    await saver.deleteThread("anonymous");
    expect(await keysContaining(client, prefix)).toEqual([]);

    detach();
    await memory.close();
  });
});
