import { decodeNamespace } from "../../namespace/namespace.js";
import { type ResolvedScope, scopeIncludes } from "../../namespace/scope.js";
import type { MemoryEvent, SubscribeOptions, Subscription } from "../backend.js";
import { invalidSince } from "../event-cursor.js";
import type { RedisKeys } from "./keys.js";
import { tenantOf } from "./keys.js";
import { ownConnection, type RedisClientLike } from "./redis-client.js";

type StreamReply = [string, [string, string[]][]][] | null;

function toEvent(id: string, fields: string[]): MemoryEvent {
  const get = (name: string) => fields[fields.indexOf(name) + 1] ?? "";
  return {
    id,
    type: get("type") as MemoryEvent["type"],
    memoryId: get("id"),
    namespace: decodeNamespace(get("namespace")),
    kind: get("kind"),
    at: new Date(Number(get("at"))),
  };
}

// An event id this backend hands out: a stream entry id, milliseconds and sequence.
const STREAM_ID = /^\d{1,15}-\d{1,19}$/;

/**
 * Only a stream id this backend could have handed out is a cursor: XREAD also takes `$`, `+`,
 * `-` and bare numbers, which would skip events, re-read from the end at every block, or fail on
 * every read.
 */
function parseSince(since: string): string {
  if (!STREAM_ID.test(since)) throw invalidSince(since);
  return since;
}

/**
 * Follows the tenants' event streams with XREAD BLOCK on a connection of its own. Stream ids
 * are the resume points: with `since`, everything after it is delivered first, in order, once.
 * On a cluster (`perTenant`) each tenant's stream lives in its own slot and one XREAD cannot
 * span slots: each stream gets a reader of its own, so events stay in order per tenant.
 */
export async function followStreams(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
  handler: (event: MemoryEvent) => void | Promise<void>,
  options: SubscribeOptions,
  perTenant = false,
): Promise<Subscription> {
  const tenants = [...new Set([...scope.exact, ...scope.prefixes].map(tenantOf))];
  const streams = tenants.map((tenant) => keys.events(tenant));
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const onError =
    options.onError ??
    ((error: unknown) => console.error("[engram] subscriber handler failed:", error));
  const groups = perTenant ? streams.map((stream) => [stream]) : [streams];
  // Handlers run one at a time, whichever reader delivered the event.
  let delivering: Promise<unknown> = Promise.resolve();
  const deliver = (event: MemoryEvent) => {
    const run = delivering.then(async () => {
      try {
        await handler(event);
      } catch (error) {
        onError(error, event);
      }
    });
    delivering = run;
    return run;
  };
  const readers = await Promise.all(
    groups.map((group) => followGroup(client, group, scope, since, deliver)),
  );
  return {
    async close() {
      await Promise.all(readers.map((reader) => reader.close()));
    },
  };
}

/** One XREAD loop over streams that share a slot (or any, on a single node). */
async function followGroup(
  client: RedisClientLike,
  streams: readonly string[],
  scope: ResolvedScope,
  since: string | undefined,
  deliver: (event: MemoryEvent) => Promise<void>,
): Promise<Subscription> {
  const cursors = new Map<string, string>();
  for (const stream of streams) {
    if (since !== undefined) {
      cursors.set(stream, since);
    } else {
      const last = (await client.sendCommand(["XREVRANGE", stream, "+", "-", "COUNT", "1"])) as [
        string,
        string[],
      ][];
      cursors.set(stream, last[0]?.[0] ?? "0-0");
    }
  }
  const reader = ownConnection(client, 2);
  reader.on("error", () => undefined); // the loop below reports failed reads and retries
  await reader.connect();
  let closed = false;
  let failures = 0;

  const loop = (async () => {
    while (!closed) {
      let reply: StreamReply;
      try {
        reply = (await reader.sendCommand([
          "XREAD",
          "COUNT",
          "500",
          "BLOCK",
          "1000",
          "STREAMS",
          ...streams,
          ...streams.map((stream) => cursors.get(stream)!),
        ])) as StreamReply;
      } catch (error) {
        if (closed) return;
        // Once per outage, backing off: a failure that persists must not flood the log.
        if (failures === 0)
          console.error("[engram] reading the event stream failed; retrying:", error);
        failures++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** failures, 5000)));
        continue;
      }
      failures = 0;
      for (const [stream, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          if (closed) return;
          cursors.set(stream, id);
          if (!scopeIncludes(scope, fields[fields.indexOf("namespace") + 1] ?? "")) continue;
          await deliver(toEvent(id, fields));
        }
      }
    }
  })();

  return {
    async close() {
      if (closed) return;
      closed = true;
      // The reader may be blocked in XREAD: dropping its connection ends the wait at once.
      reader.destroy();
      await loop;
    },
  };
}
