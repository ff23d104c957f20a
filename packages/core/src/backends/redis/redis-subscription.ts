import { decodeNamespace } from "../../namespace/namespace.js";
import { type ResolvedScope, scopeIncludes } from "../../namespace/scope.js";
import type { MemoryEvent, SubscribeOptions, Subscription } from "../backend.js";
import { invalidSince } from "../event-cursor.js";
import type { RedisKeys } from "./keys.js";
import { ownConnection, type RedisClientLike } from "./redis-client.js";
import { tenantsOfScope } from "./tenant-scope.js";

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

// How often a subscription over a prefix shorter than a tenant checks for new tenants under it.
const DISCOVERY_MS = 250;

/**
 * Follows the tenants' event streams with XREAD BLOCK on a connection of its own. Stream ids
 * are the resume points: with `since`, everything after it is delivered first, in order, once.
 * On a cluster (`perTenant`) each tenant's stream lives in its own slot and one XREAD cannot
 * span slots: each stream gets a reader of its own, so events stay in order per tenant.
 *
 * A prefix shorter than a tenant (`keys.spansTenants`) reaches the tenants registered under it
 * when subscribing, and the ones registered later: the registry's size is checked every
 * `DISCOVERY_MS`, and a new tenant's stream is followed from its start (or from `since`), so
 * its first events arrive a little later than others' (up to about a second more).
 */
export async function followStreams(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
  handler: (event: MemoryEvent) => void | Promise<void>,
  options: SubscribeOptions,
  perTenant = false,
): Promise<Subscription> {
  const wide = scope.prefixes.some(keys.spansTenants);
  const registered = wide ? Number(await client.sendCommand(["SCARD", keys.tenants])) : 0;
  const tenants = await tenantsOfScope(client, keys, scope);
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
  const followed = new Set(streams);
  const discovery = wide
    ? discoverTenants(client, keys, scope, new Set(tenants), registered, async (found) => {
        // A tenant registered since subscribing had no event before it: from its start.
        const cursor = since ?? "0-0";
        const added = found.map((tenant) => keys.events(tenant));
        if (!perTenant && readers[0]) readers[0].add(added, cursor);
        else
          for (const stream of added.filter((each) => !followed.has(each))) {
            readers.push(await followGroup(client, [stream], scope, cursor, deliver));
            followed.add(stream);
          }
      })
    : undefined;
  return {
    async close() {
      await discovery?.close();
      await Promise.all(readers.map((reader) => reader.close()));
    },
  };
}

/**
 * Checks the tenant registry's size every `DISCOVERY_MS`; when it moved, finds the scope's
 * tenants again and hands the new ones to `follow`.
 */
function discoverTenants(
  client: RedisClientLike,
  keys: RedisKeys,
  scope: ResolvedScope,
  known: Set<string>,
  registered: number,
  follow: (tenants: string[]) => Promise<void>,
): { close(): Promise<void> } {
  let closed = false;
  let size = registered;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const check = async () => {
    try {
      const now = Number(await client.sendCommand(["SCARD", keys.tenants]));
      if (now === size || closed) return;
      const found = (await tenantsOfScope(client, keys, scope)).filter((t) => !known.has(t));
      if (found.length > 0 && !closed) await follow(found);
      // Only once followed: a failure is tried again at the next tick.
      for (const tenant of found) known.add(tenant);
      size = now;
    } catch {
      // Checked again at the next tick (the readers report an outage themselves).
    }
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      running = check().finally(schedule);
    }, DISCOVERY_MS);
  };
  schedule();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** One XREAD loop over streams that share a slot (or any, on a single node). */
async function followGroup(
  client: RedisClientLike,
  initial: readonly string[],
  scope: ResolvedScope,
  since: string | undefined,
  deliver: (event: MemoryEvent) => Promise<void>,
): Promise<Subscription & { add(streams: readonly string[], cursor: string): void }> {
  const streams = [...initial];
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
      // A wide scope with no tenant yet: wait for discovery to add one.
      if (streams.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, DISCOVERY_MS));
        continue;
      }
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
    // Read from the next XREAD on (the one blocked now ends within its BLOCK time).
    add(added, cursor) {
      for (const stream of added) {
        if (cursors.has(stream)) continue;
        cursors.set(stream, cursor);
        streams.push(stream);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // The reader may be blocked in XREAD: dropping its connection ends the wait at once.
      reader.destroy();
      await loop;
    },
  };
}
