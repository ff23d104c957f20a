import { randomUUID } from "node:crypto";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import type { Backend } from "../backends/backend.js";
import { redisBackend } from "../backends/redis/redis-backend.js";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import { dropRedisPrefix } from "../testing/redis-global-setup.js";
import { createTestEmbedder } from "../testing/test-embedder.js";
import { createMemory } from "./create-memory.js";

// Issue 14, item 8: vectors were reused by content hash across the whole store (and the
// process cache), so a tenant could time whether another tenant had stored the same text.

const backends: [string, () => Backend][] = [
  ["sqlite", () => sqliteBackend({ path: ":memory:" })],
  [
    "redis",
    () => {
      const url = inject("redisUrl");
      const prefix = `test-${randomUUID()}`;
      onTestFinished(() => dropRedisPrefix(url, prefix));
      return redisBackend({ url }, { prefix, log: () => undefined });
    },
  ],
];

describe.each(backends)("vector reuse on %s", (_name, makeBackend) => {
  it("is per tenant: another tenant's identical text is embedded afresh", async () => {
    const embedder = createTestEmbedder();
    const memory = createMemory({ backend: makeBackend(), embedder });
    onTestFinished(() => memory.close());
    const secret = `the merger closes on ${randomUUID()}`;
    await memory.remember({ namespace: ["alice-co", "notes"], content: secret });
    expect(embedder.texts.filter((text) => text === secret)).toHaveLength(1);
    // Same tenant, other namespace: the stored vector is reused.
    await memory.remember({ namespace: ["alice-co", "elsewhere"], content: secret });
    expect(embedder.texts.filter((text) => text === secret)).toHaveLength(1);
    // Another tenant: embedded again, so its latency says nothing of alice-co's memories.
    await memory.remember({ namespace: ["bob-co"], content: secret });
    expect(embedder.texts.filter((text) => text === secret)).toHaveLength(2);
    // A query's vector is cached per tenant searched, too.
    const query = `what about ${secret}`;
    await memory.recall({ namespace: ["alice-co", "notes"], query });
    const before = embedder.texts.length;
    await memory.recall({ namespace: ["bob-co"], query });
    expect(embedder.texts.length).toBeGreaterThan(before);
  });
});

// One id per content hash was kept for the whole Redis store: another tenant storing the same
// text took the entry over, and this tenant's next copy of it was embedded again.
it("keeps a tenant's reuse on Redis whatever another tenant stores or forgets", async () => {
  const url = inject("redisUrl");
  const prefix = `test-${randomUUID()}`;
  onTestFinished(() => dropRedisPrefix(url, prefix));
  const open = () => {
    // A fresh process cache each time, so every reuse comes from the store.
    const embedder = createTestEmbedder();
    const memory = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder,
    });
    onTestFinished(() => memory.close());
    return { memory, embedder };
  };
  const text = `the launch moves to ${randomUUID()}`;
  await open().memory.remember({ namespace: ["alice-co", "notes"], content: text });
  const [bob] = await open().memory.remember([{ namespace: ["bob-co"], content: text }]);
  const alice = open();
  await alice.memory.remember({ namespace: ["alice-co", "elsewhere"], content: text });
  expect(alice.embedder.texts).toEqual([]);
  await open().memory.forget([bob!.id]);
  const again = open();
  await again.memory.remember({ namespace: ["alice-co", "third"], content: text });
  expect(again.embedder.texts).toEqual([]);
});
