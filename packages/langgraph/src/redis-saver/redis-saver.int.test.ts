import { EngramError } from "@engram/core";
import { emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { keysContaining, type TestClient, testClient, uniquePrefix } from "../../test/redis.js";
import type { RedisClientLike } from "./redis-client.js";
import { RedisSaver } from "./redis-saver.js";

function checkpoint(values: Record<string, unknown> = {}, version = 1) {
  const base = emptyCheckpoint();
  return {
    ...base,
    id: uuid6(-1),
    channel_values: values,
    channel_versions: Object.fromEntries(Object.keys(values).map((key) => [key, version])),
  };
}

const meta = { source: "loop" as const, step: 0, parents: {} };

function hashTag(key: string): string {
  const open = key.indexOf("{");
  return key.slice(open + 1, key.indexOf("}", open + 1));
}

/** Counts what reaches Redis: each sendCommand and each MULTI/EXEC is one request. */
function countingClient(client: TestClient) {
  const counter = { requests: 0 };
  const like = client as unknown as RedisClientLike;
  const wrapped: RedisClientLike = {
    get isOpen() {
      return like.isOpen;
    },
    connect: () => like.connect(),
    close: () => like.close(),
    on: (event, listener) => like.on(event, listener),
    sendCommand(args, options) {
      counter.requests += 1;
      return like.sendCommand(args, options);
    },
    multi() {
      const multi = like.multi();
      return {
        addCommand: (args) => multi.addCommand(args),
        exec() {
          counter.requests += 1;
          return multi.exec();
        },
      };
    },
  };
  return { wrapped, counter };
}

describe("RedisSaver on Redis", () => {
  let client: TestClient;
  let prefix: string;

  beforeEach(async () => {
    client = await testClient();
    prefix = uniquePrefix("saver");
  });

  afterEach(async () => {
    const keys = await keysContaining(client, prefix);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  it("keeps every key of a thread under one hash tag", async () => {
    const saver = new RedisSaver({ client: client as unknown as RedisClientLike, prefix });
    for (const checkpointNs of ["", "child:1|grandchild:2"]) {
      const config = await saver.put(
        { configurable: { thread_id: "t{1}:x", checkpoint_ns: checkpointNs } },
        checkpoint({ a: 1 }),
        meta,
        { a: 1 },
      );
      await saver.putWrites(config, [["a", 2]], "task");
    }
    const threadKeys = (await keysContaining(client, prefix)).filter((key) =>
      key.includes(":thread:"),
    );
    expect(threadKeys.length).toBeGreaterThanOrEqual(8);
    expect(new Set(threadKeys.map(hashTag))).toEqual(new Set([encodeURIComponent("t{1}:x")]));
  });

  it("takes one request for getTuple and one round of requests for put", async () => {
    const { wrapped, counter } = countingClient(client);
    const saver = new RedisSaver({ client: wrapped, prefix });
    const config = { configurable: { thread_id: "rt", checkpoint_ns: "" } };
    await saver.put(config, checkpoint({ a: 1 }), meta, { a: 1 }); // warms the read script
    await saver.getTuple(config);
    counter.requests = 0;
    await saver.put(config, checkpoint({ a: 2 }, 2), meta, { a: 2 });
    expect(counter.requests).toBeLessThanOrEqual(2);
    counter.requests = 0;
    const tuple = await saver.getTuple(config);
    expect(tuple?.checkpoint.channel_values).toEqual({ a: 2 });
    expect(counter.requests).toBe(1);
  });

  it("stores serialized bytes in hashes, not JSON documents", async () => {
    const saver = new RedisSaver({ client: client as unknown as RedisClientLike, prefix });
    const stored = checkpoint({ a: "x" });
    await saver.put({ configurable: { thread_id: "bytes" } }, stored, meta, { a: 1 });
    const key = (await keysContaining(client, prefix)).find((k) => k.includes(":checkpoint:"));
    expect(await client.type(key ?? "")).toBe("hash");
  });

  it("deleteThread leaves no key of the thread behind and keeps other threads", async () => {
    const saver = new RedisSaver({
      client: client as unknown as RedisClientLike,
      prefix,
      namespaceOf: (config) => ["acme", "users", String(config.configurable?.user_id)],
    });
    for (const threadId of ["gone", "kept"]) {
      let config: { configurable: Record<string, unknown> } = {
        configurable: { thread_id: threadId, checkpoint_ns: "", user_id: "ann" },
      };
      for (let step = 0; step < 3; step += 1) {
        const next = await saver.put(config, checkpoint({ a: step }), meta, { a: step + 1 });
        await saver.putWrites(
          next,
          [
            ["a", step],
            ["__error__", "boom"],
          ],
          `task-${step}`,
        );
        config = { configurable: { ...next.configurable, user_id: "ann" } };
      }
      await saver.put(
        { configurable: { thread_id: threadId, checkpoint_ns: "sub:1", user_id: "ann" } },
        checkpoint({ b: 1 }),
        meta,
        { b: 1 },
      );
    }
    const before = await keysContaining(client, prefix);
    await saver.deleteThread("gone");
    const after = await keysContaining(client, prefix);
    expect(after.some((key) => key.includes("{gone}"))).toBe(false);
    expect(after.length).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThan(after.length);
    expect(await saver.getTuple({ configurable: { thread_id: "kept" } })).toBeDefined();

    await saver.deleteThread("kept");
    expect(await keysContaining(client, prefix)).toEqual([]);
  });

  it("expires a thread after the default TTL and refreshes it on read", async () => {
    const saver = new RedisSaver({
      client: client as unknown as RedisClientLike,
      prefix,
      defaultTtlMs: 1500,
    });
    const config = await saver.put(
      { configurable: { thread_id: "ttl" } },
      checkpoint({ a: 1 }),
      meta,
      { a: 1 },
    );
    await saver.putWrites(config, [["a", 2]], "task");
    const keys = (await keysContaining(client, prefix)).filter((key) => key.includes(":thread:"));
    for (const key of keys) {
      const ttl = await client.pTTL(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1500);
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
    const checkpointKey = keys.find((key) => key.includes(":checkpoint:")) ?? "";
    expect(await client.pTTL(checkpointKey)).toBeLessThan(1000);
    expect(await saver.getTuple({ configurable: { thread_id: "ttl" } })).toBeDefined();
    for (const key of keys) expect(await client.pTTL(key)).toBeGreaterThan(1200);

    const short = new RedisSaver({
      client: client as unknown as RedisClientLike,
      prefix,
      defaultTtlMs: 100,
    });
    await short.put({ configurable: { thread_id: "short" } }, checkpoint({ a: 1 }), meta, { a: 1 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await short.getTuple({ configurable: { thread_id: "short" } })).toBeUndefined();
    expect((await keysContaining(client, prefix)).some((key) => key.includes("{short}:"))).toBe(
      false,
    );
  });

  it("does not refresh on read when asked not to", async () => {
    const saver = new RedisSaver({
      client: client as unknown as RedisClientLike,
      prefix,
      defaultTtlMs: 5000,
      refreshTtlOnRead: false,
    });
    await saver.put({ configurable: { thread_id: "still" } }, checkpoint(), meta, {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    await saver.getTuple({ configurable: { thread_id: "still" } });
    const key =
      (await keysContaining(client, prefix)).find((k) => k.includes(":checkpoint:")) ?? "";
    expect(await client.pTTL(key)).toBeLessThan(4800);
  });

  it("close() leaves a client it was given open, and closes one it opened", async () => {
    const given = new RedisSaver({ client: client as unknown as RedisClientLike, prefix });
    await given.put({ configurable: { thread_id: "c" } }, checkpoint(), meta, {});
    await given.close();
    expect(client.isOpen).toBe(true);
    await expect(given.getTuple({ configurable: { thread_id: "c" } })).rejects.toMatchObject({
      code: "CLOSED",
    });

    const own = new RedisSaver({ url: inject("redisUrl"), prefix });
    expect(await own.getTuple({ configurable: { thread_id: "c" } })).toBeDefined();
    await own.close();
  });

  it("rejects bad options with INVALID_ARGUMENT", () => {
    for (const options of [
      {},
      { url: "redis://x", client: client as unknown as RedisClientLike },
      { url: "redis://x", prefix: "a{b}" },
    ]) {
      try {
        new RedisSaver(options);
        expect.unreachable();
      } catch (error) {
        expect(EngramError.isInstance(error) && error.code).toBe("INVALID_ARGUMENT");
      }
    }
  });
});
