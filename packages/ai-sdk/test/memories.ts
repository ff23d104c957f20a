import { randomUUID } from "node:crypto";
import {
  createMemory,
  type Embedder,
  type Memory,
  redisBackend,
  sqliteBackend,
} from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { dropRedisPrefix } from "@engram/core/testing/redis-global-setup";
import { inject } from "vitest";

/** A memory on one backend for one test, and how to dispose of it. */
export interface TestMemory {
  memory: Memory;
  cleanup(): Promise<void>;
}

export interface BackendCase {
  name: "sqlite" | "redis";
  open(options?: { embedder?: Embedder }): Promise<TestMemory>;
}

/** The backends every behaviour runs on: the embedded SQLite file and Redis (plain or search mode). */
export const backends: BackendCase[] = [
  {
    name: "sqlite",
    async open(options = {}) {
      const memory = createMemory({
        backend: sqliteBackend({ path: ":memory:" }),
        embedder: options.embedder ?? createTestEmbedder(),
      });
      return { memory, cleanup: () => memory.close() };
    },
  },
  {
    name: "redis",
    async open(options = {}) {
      const url = inject("redisUrl");
      const prefix = `aisdk-${randomUUID().slice(0, 8)}`;
      const memory = createMemory({
        backend: redisBackend({ url }, { prefix, log: () => undefined }),
        embedder: options.embedder ?? createTestEmbedder(),
      });
      return {
        memory,
        async cleanup() {
          await memory.close();
          await dropRedisPrefix(url, prefix);
        },
      };
    },
  },
];

/**
 * The test embedder, which can be switched to fail or to stall: a real embedder failure or
 * slowness, as core meets it when a provider is down or slow.
 */
export function controllableEmbedder() {
  const base = createTestEmbedder();
  const control = { fail: false, delayMs: 0 };
  return {
    control,
    embedder: {
      model: base.model,
      dimensions: base.dimensions,
      async embed(texts: readonly string[]) {
        if (control.delayMs > 0)
          await new Promise((resolve) => setTimeout(resolve, control.delayMs));
        if (control.fail) throw new Error("embedding provider unavailable");
        return base.embed(texts);
      },
    },
  };
}
