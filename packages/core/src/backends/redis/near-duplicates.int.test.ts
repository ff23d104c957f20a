import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { expect, inject, it, onTestFinished } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { redisKeys } from "./keys.js";
import { redisBackend } from "./redis-backend.js";

const url = inject("redisUrl");
const FACT =
  "the quarterly planning offsite for the platform group moves from the lakeside lodge " +
  "to the downtown conference centre because the lodge kitchen closes for renovation";

it("computes the signatures a store written before them lacks, and keeps them (plain mode)", async () => {
  const prefix = `engram-near-${randomUUID()}`;
  const embedder = createTestEmbedder();
  const open = () =>
    createMemory({
      backend: redisBackend({ url }, { prefix, mode: "plain", log: () => undefined }),
      embedder,
    });
  const admin = createClient({ url });
  await admin.connect();
  onTestFinished(async () => {
    const cleanup = redisBackend({ url }, { prefix, mode: "plain", log: () => undefined });
    await cleanup.drop();
    await cleanup.close();
    await admin.close();
  });

  const before = open();
  const [stored] = await before.remember([
    { namespace: ["t"], content: FACT },
    { namespace: ["t"], content: "something else entirely, about lunch" },
  ]);
  await before.close();
  const key = redisKeys(prefix).memory("t", stored!.id);
  expect(Boolean(await admin.hExists(key, "sig"))).toBe(true);
  // What a store from before signatures looks like.
  await admin.hDel(key, "sig");

  const after = open();
  const near = await after.remember({ namespace: ["t"], content: `${FACT} soon`, tags: ["new"] });
  expect(near).toMatchObject({ status: "merged", id: stored!.id });
  await after.close();
  expect(Boolean(await admin.hExists(key, "sig"))).toBe(true);
});
