import { z } from "zod";
import { parseInput } from "../../record/schemas.js";
import { MAX_TENANT_SEGMENTS } from "./keys.js";
import { DEFAULT_HNSW, type HnswOptions } from "./search-query.js";

export interface RedisBackendOptions {
  /** Every key starts with `{prefix}:`; default `"engram"`. */
  prefix?: string;
  /** Events each tenant's stream keeps (approximately, MAXLEN ~); default 100,000. */
  eventStreamLength?: number;
  /** Where the one line about the detected mode goes; default console.info. */
  log?: (message: string) => void;
  /** `auto` (default) uses RediSearch when the server has it; `plain` never does. */
  mode?: "auto" | "plain";
  /** HNSW parameters of the search-mode index; defaults M 16, EF_CONSTRUCTION 200, EF_RUNTIME 128. */
  hnsw?: Partial<HnswOptions>;
  /**
   * How long a call waits for Redis to finish loading its data after a restart (it answers
   * LOADING meanwhile) before failing with `BACKEND_UNAVAILABLE`; default 10,000 ms.
   */
  loadingWaitMs?: number;
  /**
   * Replicas that must confirm each write (Redis `WAIT`) before it is acknowledged; default 0.
   * Replication is asynchronous: without it, a write acknowledged just before its master fails
   * can be lost when a replica takes over. With it, a write that too few replicas confirm in
   * `waitTimeoutMs` fails with `BACKEND_UNAVAILABLE` (it is on the master and may survive).
   */
  waitForReplicas?: number;
  /** How long a write waits for `waitForReplicas` confirmations; default 1,000 ms. */
  waitTimeoutMs?: number;
  /**
   * Plain mode: where the approximate-nearest-neighbour graphs of large namespaces are saved
   * between runs, so a restarted process answers without building them again: a directory, or
   * `false` for nowhere. Default: a directory per store (URL and prefix) under
   * `$XDG_CACHE_HOME/engram/vector-index` (or `~/.cache/...`). Saved graphs are checked against
   * the vectors read from Redis when loaded.
   */
  vectorIndexCache?: string | false;
  /**
   * How many leading namespace segments make a tenant (1 to 8); default 1. Each tenant's keys
   * share one hash tag (one cluster slot, one MULTI/EXEC per write, one event stream), so with
   * namespaces like `["org", orgId, "user", userId]` the default puts every org in one tenant
   * and one slot, and `2` gives each org its own. A namespace with fewer segments is its own
   * tenant. The store remembers the value: opening it with another is refused
   * (`INVALID_ARGUMENT`). A scope shorter than a tenant (`within: ["org"]` with 2) reads, erases
   * and follows every tenant under it, found in the store's tenant registry.
   */
  tenantSegments?: number;
}

const positive = z.number().int().positive();

const optionsSchema = z.object({
  // Braces would end the hash tag early and scatter a store's keys over cluster slots.
  prefix: z
    .string()
    .regex(/^[^{}\s]{1,128}$/, "a prefix is 1-128 characters without braces or spaces")
    .default("engram"),
  eventStreamLength: positive.default(100_000),
  log: z.custom<(message: string) => void>((value) => typeof value === "function").optional(),
  mode: z.enum(["auto", "plain"]).default("auto"),
  loadingWaitMs: z.number().int().min(0).max(600_000).default(10_000),
  waitForReplicas: z.number().int().min(0).max(16).default(0),
  waitTimeoutMs: positive.max(60_000).default(1000),
  vectorIndexCache: z.union([z.string().min(1), z.literal(false)]).optional(),
  tenantSegments: positive.max(MAX_TENANT_SEGMENTS).default(1),
  hnsw: z
    .object({
      m: positive.max(512).optional(),
      efConstruction: positive.max(4096).optional(),
      efRuntime: positive.max(4096).optional(),
    })
    .default({}),
});

/** Checks the options and fills in defaults; throws `INVALID_ARGUMENT` with the reason. */
export function resolveRedisOptions(options: RedisBackendOptions) {
  const parsed = parseInput(optionsSchema, options, "Redis backend options");
  return {
    prefix: parsed.prefix,
    eventStreamLength: parsed.eventStreamLength,
    log: parsed.log ?? ((message: string) => console.info(message)),
    mode: parsed.mode,
    loadingWaitMs: parsed.loadingWaitMs,
    waitForReplicas: parsed.waitForReplicas,
    waitTimeoutMs: parsed.waitTimeoutMs,
    vectorIndexCache: parsed.vectorIndexCache,
    tenantSegments: parsed.tenantSegments,
    hnsw: { ...DEFAULT_HNSW, ...stripUndefined(parsed.hnsw) } as HnswOptions,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
