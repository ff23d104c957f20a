import { createMemory, redisBackend, sqliteBackend } from "@engram/core";

/** Redis when REDIS_URL is set, otherwise the embedded SQLite file in ./.engram. */
export function openMemory() {
  const url = process.env.REDIS_URL;
  return createMemory({
    backend: url
      ? redisBackend(
          { url },
          { prefix: process.env.ENGRAM_PREFIX ?? "langchain-agent", log: () => {} },
        )
      : sqliteBackend({ path: ".engram/memory.db" }),
  });
}
