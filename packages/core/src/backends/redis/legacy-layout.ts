import { EngramError } from "../../errors/engram-error.js";
import type { RedisClientLike } from "./redis-client.js";

/** What every key of a store in the layout before per-tenant hash tags starts with. */
export function legacyRoot(prefix: string): string {
  return `{${prefix}}:`;
}

// Keys every store of that layout that ever held a memory has (all in the one `{prefix}` slot);
// not `namespaces`, which a LangGraph RedisSaver sharing the prefix writes too.
const LEGACY_MARKS = ["meta", "vectors", "near:seq"];

/** Whether the prefix holds a store in the layout before per-tenant hash tags. */
export async function hasLegacyStore(client: RedisClientLike, prefix: string): Promise<boolean> {
  const root = legacyRoot(prefix);
  const found = await client.sendCommand(["EXISTS", ...LEGACY_MARKS.map((mark) => root + mark)]);
  return Number(found) > 0;
}

/**
 * Refuses to open a store written in the older layout (one hash tag per store): reading it as
 * empty would lose it silently. `migrateStore` moves it to the current layout.
 */
export async function assertCurrentLayout(client: RedisClientLike, prefix: string): Promise<void> {
  if (!(await hasLegacyStore(client, prefix))) return;
  throw new EngramError(
    "BACKEND_ERROR",
    `Redis prefix "${prefix}" holds a store in the key layout of Engram before per-tenant hash ` +
      `tags (keys "${legacyRoot(prefix)}..."). Move it once with ` +
      `migrateStore(connection, { prefix: "${prefix}" }) from @engram/core (no writers ` +
      "running), then open it again.",
    { details: { prefix, migrate: "migrateStore" } },
  );
}
