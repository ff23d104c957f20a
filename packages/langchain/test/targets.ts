import { randomUUID } from "node:crypto";
import { createMemory, type Memory, redisBackend, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import type {} from "@engram/core/testing/redis-global-setup";
import { inject } from "vitest";

/** A fresh memory for one test, and how to remove what it stored. */
export interface MemoryTarget {
  memory: Memory;
  cleanup(): Promise<void>;
}

/** Opens a fresh memory on the named backend; every test gets its own. */
export type OpenTarget = () => MemoryTarget;

/** The embedded SQLite backend, in memory. */
export const sqliteTarget: OpenTarget = () => {
  const memory = createMemory({
    backend: sqliteBackend({ path: ":memory:" }),
    embedder: createTestEmbedder(),
  });
  return { memory, cleanup: () => memory.close() };
};

/** Redis, under a prefix no other test uses. */
export const redisTarget: OpenTarget = () => {
  const backend = redisBackend(
    { url: inject("redisUrl") },
    { prefix: `lctest-${randomUUID().slice(0, 8)}`, log: () => {} },
  );
  const memory = createMemory({ backend, embedder: createTestEmbedder() });
  return {
    memory,
    cleanup: async () => {
      await backend.drop();
      await memory.close();
    },
  };
};
