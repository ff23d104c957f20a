import { EngramError, type Namespace, type RedisClusterLike } from "@engram/core";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { z } from "zod";
import type { RedisClientLike } from "./redis-client.js";

/** How to build a `RedisSaver`. Give exactly one of `url` and `client`. */
export interface RedisSaverOptions {
  /** A Redis URL; the saver opens (and on `close()` closes) its own client. */
  url?: string;
  /**
   * An existing node-redis client (v5 or v6), plain (`createClient`) or cluster (`createCluster`:
   * each thread's keys share one slot, registry keys another); the saver never closes it.
   */
  client?: RedisClientLike | RedisClusterLike;
  /** Key prefix, default `"langgraph"`. No braces: the saver adds its own hash tags. */
  prefix?: string;
  /** Every key a put or write touches expires this long after it (default: never). */
  defaultTtlMs?: number;
  /** Reads push the expiry of what they read forward again (default true). */
  refreshTtlOnRead?: boolean;
  /** Maps a run's config to the Engram namespace that owns its thread (e.g. the user's). */
  namespaceOf?: (config: RunnableConfig) => Namespace | undefined;
  /** The name in `forgetNamespace` reports when attached to a memory. */
  name?: string;
  serde?: SerializerProtocol;
}

const optionsSchema = z
  .object({
    url: z.string().min(1).optional(),
    client: z
      .custom<RedisClientLike | RedisClusterLike>(
        (value) => typeof value === "object" && value !== null && "sendCommand" in value,
        "client must be a node-redis v5 client",
      )
      .optional(),
    prefix: z
      .string()
      .min(1)
      .regex(/^[^{}\s]+$/, "prefix may not contain braces or whitespace")
      .default("langgraph"),
    defaultTtlMs: z.number().int().positive().optional(),
    refreshTtlOnRead: z.boolean().default(true),
    namespaceOf: z
      .custom<RedisSaverOptions["namespaceOf"]>((value) => typeof value === "function")
      .optional(),
    name: z.string().min(1).default("langgraph-checkpoints"),
    serde: z.custom<SerializerProtocol>().optional(),
  })
  .refine((options) => (options.url === undefined) !== (options.client === undefined), {
    message: "Give exactly one of url and client.",
  });

export type ResolvedOptions = z.output<typeof optionsSchema>;

/** Validates saver options; throws `INVALID_ARGUMENT` listing each problem. */
export function parseOptions(options: RedisSaverOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      `Invalid RedisSaver options: ${parsed.error.message}`,
      {
        details: {
          issues: parsed.error.issues.map((issue) => ({
            path: issue.path.join("."),
            message: issue.message,
          })),
        },
      },
    );
  }
  return parsed.data;
}
