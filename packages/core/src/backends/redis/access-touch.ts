import { groupBy } from "./group-by.js";
import type { RedisKeys } from "./keys.js";
import type { RedisClientLike } from "./redis-client.js";
import type { ScopeCache } from "./scope-cache.js";

// KEYS: n memory hashes, then their n access hashes; ARGV[1]: the time of use. Uses go to
// each memory's access hash, never to the indexed record, and only for records that still
// exist (a touch must not resurrect one). The access hash expires with its memory.
const TOUCH = `local n = #KEYS / 2
for i = 1, n do
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl ~= -2 then
    redis.call('HSET', KEYS[n + i], 'lastAccessedAt', ARGV[1])
    redis.call('HINCRBY', KEYS[n + i], 'accessCount', 1)
    if ttl > 0 then redis.call('PEXPIRE', KEYS[n + i], ttl) end
  end
end
return 0`;

/**
 * A recall's uses (`lastAccessedAt`, `accessCount`), recorded without costing the recall a
 * round trip: one script per recall is sent on the connection every record read goes to, and
 * not waited for. Redis runs a connection's commands in the order sent, so this process's own
 * later reads (a `get`, the next recall's hits) see the uses; writes, which go out on other
 * connections, wait for the scripts in flight (`settled`) first. The scope cache counts the
 * uses at once. A failed script is logged, never thrown: the recall it belongs to has returned.
 */
export function accessToucher(
  connection: () => RedisClientLike,
  keys: RedisKeys,
  cache: ScopeCache,
  warn: (message: string) => void = (message) => console.warn(message),
) {
  const inFlight = new Set<Promise<void>>();
  // One warning per run of failures, not one per recall while Redis is away.
  let failing = false;

  return {
    /**
     * Sends the uses of these memories at `at`, one script per tenant (its slot); returns once
     * sent (throws only if not connected).
     */
    touch(memories: readonly { id: string; tenant: string }[], at: number): void {
      for (const [tenant, group] of groupBy(memories, (memory) => memory.tenant)) {
        const sent = connection()
          .sendCommand([
            "EVAL",
            TOUCH,
            String(group.length * 2),
            ...group.map(({ id }) => keys.memory(tenant, id)),
            ...group.map(({ id }) => keys.access(tenant, id)),
            String(at),
          ])
          .then(
            () => {
              failing = false;
            },
            (error: unknown) => {
              if (failing) return;
              failing = true;
              warn(
                `[engram] Redis: could not record the uses of recalled memories: ${(error as Error).message}`,
              );
            },
          )
          .finally(() => inFlight.delete(sent));
        inFlight.add(sent);
      }
      cache.touch(
        memories.map(({ id }) => id),
        new Date(at),
      );
    },

    /** Resolves once every script sent so far has been answered (never rejects). */
    async settled(): Promise<void> {
      if (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
