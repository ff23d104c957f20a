import { existsSync } from "node:fs";
import * as core from "@engram/core";
import { type Backend, createMemory, EngramError, type Memory } from "@engram/core";
import type { Command } from "commander";
import { defaultDataFile } from "./data-directory.js";

export interface StorageOptions {
  /** The SQLite file; ENGRAM_DATA, else `memory.db` in the data directory. */
  data?: string | undefined;
  /** A Redis URL; REDIS_URL when absent. */
  redis?: string | undefined;
  /** Comma-separated Redis Cluster node URLs; ENGRAM_REDIS_CLUSTER when absent. */
  redisCluster?: string | undefined;
  /** The Redis key prefix; ENGRAM_REDIS_PREFIX, else core's default (`engram`). */
  prefix?: string | undefined;
  /** Most memories per namespace (`retention.capacity`); no limit when absent. */
  capacity?: number | undefined;
}

/** Adds `--data`, `--redis` and `--prefix` to a command that opens the memory. */
export function storageOptions(command: Command): Command {
  return command
    .option(
      "--data <path>",
      "SQLite file (default: memory.db in the per-user data directory, ENGRAM_HOME; or ENGRAM_DATA)",
    )
    .option("--redis <url>", "use Redis instead of SQLite (or set REDIS_URL)")
    .option(
      "--redis-cluster <urls>",
      "use a Redis Cluster: comma-separated node URLs (or set ENGRAM_REDIS_CLUSTER)",
    )
    .option("--prefix <prefix>", "Redis key prefix (default engram, or ENGRAM_REDIS_PREFIX)");
}

function redisUrl(options: StorageOptions): string | undefined {
  return options.redis ?? process.env.REDIS_URL;
}

function redisClusterUrls(options: StorageOptions): string[] | undefined {
  const urls = options.redisCluster ?? process.env.ENGRAM_REDIS_CLUSTER;
  if (!urls) return undefined;
  return urls
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
}

function redisPrefix(options: StorageOptions): string | undefined {
  return options.prefix ?? process.env.ENGRAM_REDIS_PREFIX;
}

function dataFile(options: StorageOptions): string {
  return options.data ?? defaultDataFile();
}

/** Where the memory lives, in words, for `serve` and `stats`. */
export function describeStorage(options: StorageOptions): string {
  const cluster = redisClusterUrls(options);
  if (cluster) {
    const prefix = redisPrefix(options);
    const hosts = cluster.map((url) => new URL(url).host).join(", ");
    return `redis cluster (${hosts}${prefix ? `, prefix ${prefix}` : ""})`;
  }
  const redis = redisUrl(options);
  if (redis) {
    const prefix = redisPrefix(options);
    return `redis (${new URL(redis).host}${prefix ? `, prefix ${prefix}` : ""})`;
  }
  return `sqlite (${dataFile(options)})`;
}

async function embedder() {
  // Tests and benchmarks use core's fast deterministic embedder instead of loading a model.
  if (process.env.ENGRAM_EMBEDDER === "test") {
    const testing = await import("@engram/core/testing");
    return testing.createTestEmbedder();
  }
  return undefined;
}

function backend(options: StorageOptions, mustExist: boolean): Backend {
  const cluster = redisClusterUrls(options);
  const redis = redisUrl(options);
  if (cluster || redis) {
    const prefix = redisPrefix(options);
    return core.redisBackend(cluster ? { clusterUrls: cluster } : { url: redis! }, {
      ...(prefix === undefined ? {} : { prefix }),
      // Core's messages start with its own tag; the CLI's prefix replaces it.
      log: (message: string) =>
        process.stderr.write(`engram: ${message.replace(/^\[engram\] /, "")}\n`),
    });
  }
  const path = dataFile(options);
  if (mustExist && path !== ":memory:" && !existsSync(path)) {
    throw new EngramError(
      "NOT_FOUND",
      `No Engram store at ${path}: nothing was remembered there yet (pass --data, or set ENGRAM_HOME or ENGRAM_DATA).`,
    );
  }
  return core.sqliteBackend({ path });
}

const OPEN_TIMEOUT_MS = 5000;

/**
 * Opens the memory the CLI options name, failing fast when its storage cannot be reached. With
 * `mustExist` (read-only commands), a missing SQLite file is an error, never created.
 */
export async function openMemory(
  options: StorageOptions,
  { mustExist = false }: { mustExist?: boolean } = {},
): Promise<Memory> {
  const chosen = await embedder();
  const memory = createMemory({
    backend: backend(options, mustExist),
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
