import { createHash } from "node:crypto";
import type { RedisClientLike } from "../redis-client.js";

/** A Lua script and its SHA-1, so calls send the digest, not the source. */
export interface RedisScript {
  source: string;
  sha: string;
}

export function redisScript(source: string): RedisScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/**
 * Runs a script atomically with EVALSHA, loading it with EVAL the first time a server has not
 * seen it (after a restart or a SCRIPT FLUSH). Every key it touches is passed in `keys`.
 */
export async function runScript(
  client: RedisClientLike,
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args];
  try {
    return await client.sendCommand(["EVALSHA", script.sha, ...tail]);
  } catch (error) {
    if (!/NOSCRIPT/.test((error as Error).message)) throw error;
    return client.sendCommand(["EVAL", script.source, ...tail]);
  }
}
