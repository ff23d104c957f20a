import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import * as core from "@engram/core";
import {
  type Backend,
  createMemory,
  DEFAULT_SQLITE_PATH,
  EngramError,
  type Memory,
} from "@engram/core";

export interface StorageOptions {
  /** The SQLite file; ENGRAM_DATA, else `.engram/memory.db`. */
  data?: string | undefined;
  /** A Redis URL; REDIS_URL when absent. */
  redis?: string | undefined;
  /** Most memories per namespace (`retention.capacity`); no limit when absent. */
  capacity?: number | undefined;
}

/** Where the memory lives, in words, for `serve` and `stats`. */
export function describeStorage(options: StorageOptions): string {
  const redis = options.redis ?? process.env.REDIS_URL;
  if (redis) return `redis (${new URL(redis).host})`;
  return `sqlite (${options.data ?? process.env.ENGRAM_DATA ?? DEFAULT_SQLITE_PATH})`;
}

async function embedder() {
  // Tests and benchmarks use core's fast deterministic embedder instead of loading a model.
  if (process.env.ENGRAM_EMBEDDER === "test") {
    const testing = await import("@engram/core/testing");
    return testing.createTestEmbedder();
  }
  return undefined;
}

function backend(options: StorageOptions): Backend {
  const redis = options.redis ?? process.env.REDIS_URL;
  if (redis) {
    const redisBackend = (core as Record<string, unknown>).redisBackend;
    if (typeof redisBackend !== "function") {
      throw new EngramError(
        "INVALID_ARGUMENT",
        "--redis (or REDIS_URL) needs an @engram/core with the Redis backend; this build has only SQLite.",
      );
    }
    return (redisBackend as (connection: { url: string }, options: object) => Backend)(
      { url: redis },
      { log: (message: string) => process.stderr.write(`engram: ${message}\n`) },
    );
  }
  const path = options.data ?? process.env.ENGRAM_DATA ?? DEFAULT_SQLITE_PATH;
  mkdirSync(dirname(path), { recursive: true });
  return core.sqliteBackend({ path });
}

const OPEN_TIMEOUT_MS = 5000;

/** Opens the memory the CLI options name, failing fast when its storage cannot be reached. */
export async function openMemory(options: StorageOptions): Promise<Memory> {
  const chosen = await embedder();
  const memory = createMemory({
    backend: backend(options),
    ...(chosen ? { embedder: chosen } : {}),
    ...(options.capacity === undefined ? {} : { retention: { capacity: options.capacity } }),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    // Any read opens the backend; an unknown id is a cheap one.
    await Promise.race([
      memory.get("00000000-0000-7000-8000-000000000000"),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Could not open ${describeStorage(options)} within 5s.`)),
          OPEN_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    void memory.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open ${describeStorage(options)}: ${reason.split("\n")[0]}`);
  } finally {
    clearTimeout(timer);
  }
  return memory;
}
