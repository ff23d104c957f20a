import { validate } from "@langchain/langgraph-checkpoint-validation";
import { inject } from "vitest";
import { keysContaining, testClient, uniquePrefix } from "../../test/redis.js";
import { RedisSaver } from "./redis-saver.js";

// The official conformance suite, against RedisSaver on a real Redis. Each checkpointer gets
// its own prefix, and its keys are dropped when the suite destroys it.
const prefixes = new WeakMap<RedisSaver, string>();

validate<RedisSaver>({
  checkpointerName: "@engram/langgraph RedisSaver",
  createCheckpointer() {
    const prefix = uniquePrefix("validate");
    const saver = new RedisSaver({ url: inject("redisUrl"), prefix });
    prefixes.set(saver, prefix);
    return saver;
  },
  async destroyCheckpointer(saver) {
    await saver.close();
    const prefix = prefixes.get(saver);
    if (prefix === undefined) return;
    const client = await testClient();
    const keys = await keysContaining(client, prefix);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  },
});
