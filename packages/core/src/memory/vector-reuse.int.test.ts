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
