import { randomUUID } from "node:crypto";
import {
  createMemory,
  type Embedder,
  type Memory,
  redisBackend,
  sqliteBackend,
} from "@engram/core";
import { dropRedisPrefix } from "@engram/core/testing/redis-global-setup";
import { inject } from "vitest";

/** A memory on one backend for one test, and how to dispose of it. */
export interface TestMemory {
  memory: Memory;
  cleanup(): Promise<void>;
}

/** The backends every behaviour runs on: the embedded SQLite file and Redis. */
export const backends: { name: string; open(embedder: Embedder): Promise<TestMemory> }[] = [
  {
    name: "sqlite",
    async open(embedder) {
      const memory = createMemory({ backend: sqliteBackend({ path: ":memory:" }), embedder });
      return { memory, cleanup: () => memory.close() };
    },
  },
  {
    name: "redis",
    async open(embedder) {
      const url = inject("redisUrl");
      const prefix = `mastra-${randomUUID().slice(0, 8)}`;
      const memory = createMemory({
        backend: redisBackend({ url }, { prefix, log: () => undefined }),
        embedder,
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
