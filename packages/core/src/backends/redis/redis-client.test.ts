import { createClient } from "redis";
import { describe, expectTypeOf, it } from "vitest";
import type { RedisClientLike } from "./redis-client.js";

describe("RedisClientLike", () => {
  it("accepts a node-redis client as it is", () => {
    expectTypeOf(createClient()).toExtend<RedisClientLike>();
  });
});
