import { randomUUID } from "node:crypto";
import { redisBackend } from "@engram/core";
import { inject } from "vitest";
import { describeStoreBehaviour } from "../../test/store-behaviour.js";

describeStoreBehaviour("Redis", () => {
  const backend = redisBackend(
    { url: inject("redisUrl") },
    { prefix: `lgstore-${randomUUID().slice(0, 8)}`, log: () => {} },
  );
  return { backend, cleanup: () => backend.drop() };
});
