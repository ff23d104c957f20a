import { createClient } from "redis";
import { createClient as createClientV5 } from "redis-v5";
import { describe, expectTypeOf, it } from "vitest";
import type { RedisClientLike } from "./redis-client.js";

describe("RedisClientLike", () => {
  it("accepts a node-redis v6 client as it is", () => {
    expectTypeOf(createClient()).toExtend<RedisClientLike>();
  });

  it("accepts a node-redis v5 client as it is", () => {
    expectTypeOf(createClientV5()).toExtend<RedisClientLike>();
  });
});
