import { randomUUID } from "node:crypto";
import { EngramError } from "../../errors/engram-error.js";
import type { RedisKeys } from "./keys.js";
import type { RedisClientLike } from "./redis-client.js";
import type { ScopeCache } from "./scope-cache.js";
import { isLoading, isUnreachable } from "./transient-errors.js";

// How long a commit's marker lives, and how long a lost reply is checked for.
const MARKER_TTL_MS = "120000";
const CHECK_TIMEOUT_MS = 10_000;

/** Whether the marker exists, once the connection is back; undefined when that cannot be told. */
async function markerExists(writer: RedisClientLike, marker: string): Promise<boolean | undefined> {
  const deadline = Date.now() + CHECK_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      return Number(await writer.sendCommand(["EXISTS", marker], { timeout: 2000 })) === 1;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return undefined;
}

/** How many replicas must confirm a write (`WAIT`), and for how long to wait for them. */
export interface Durability {
  waitForReplicas: number;
  waitTimeoutMs: number;
}

/**
 * The one way a write reaches Redis: `commit(writer, tenant, touched, commands, watched,
 * erased?)`, every key in `tenant`'s slot on a cluster (any on a single node).
 */
export function committer(
  keys: RedisKeys,
  cache: ScopeCache,
  durability: Durability = { waitForReplicas: 0, waitTimeoutMs: 1000 },
) {
  /**
   * Runs the commands as one MULTI/EXEC. Each touched namespace gets its new version token in
   * the same transaction (the one its channel messages carry; erased: the token is deleted), so
   * every process's cache of it goes stale exactly when the data changes. This process's own
   * cache is told at once, without waiting for the messages.
   */
  return async function commit(
    writer: RedisClientLike,
    tenant: string,
    touchedNamespaces: Map<string, string | undefined>,
    commands: (string | Buffer)[][],
    watched: string[],
    erased = false,
  ): Promise<void> {
    const multi = writer.multi();
    for (const command of commands) multi.addCommand(command);
    // The connection can drop after EXEC ran but before its reply came back: the marker, set in
    // the same transaction, tells a committed write from one that never ran.
    const marker = keys.commitMarker(tenant, randomUUID());
    multi.addCommand(["SET", marker, "1", "PX", MARKER_TTL_MS]);
    for (const [namespace, version] of touchedNamespaces) {
      const key = keys.namespaceVersion(namespace);
      multi.addCommand(erased || version === undefined ? ["DEL", key] : ["SET", key, version]);
    }
    try {
      await multi.exec();
    } catch (error) {
      if ((error as Error).name === "WatchError" || /watch/i.test((error as Error).message)) {
        throw new EngramError("CONFLICT", "Another writer changed a key this write depends on.", {
          cause: error,
        });
      }
      const lostReply = isUnreachable(error) && !isLoading(error);
      if (!lostReply || (await markerExists(writer, marker)) !== true) throw error;
    } finally {
      if (watched.length > 0) await writer.sendCommand(["UNWATCH"]).catch(() => undefined);
    }
    for (const [namespace, version] of touchedNamespaces)
      cache.invalidate(namespace, erased ? undefined : version);
    // On a cluster, WAIT goes to the master that ran the transaction (the marker's).
    if (durability.waitForReplicas > 0)
      await waitForReplicas((await writer.routing?.nodeOf(marker)) ?? writer, durability);
  };
}

/**
 * WAIT on the connection the transaction ran on: it blocks until the replicas have every write
 * sent on that connection so far, so this write (and any pipelined before it) is covered.
 */
export async function waitForReplicas(
  writer: RedisClientLike,
  durability: Durability,
): Promise<void> {
  const { waitForReplicas: wanted, waitTimeoutMs } = durability;
  const confirmed = Number(
    await writer.sendCommand(["WAIT", String(wanted), String(waitTimeoutMs)], {
      timeout: waitTimeoutMs + 5000,
    }),
  );
  if (confirmed < wanted)
    throw new EngramError(
      "BACKEND_UNAVAILABLE",
      `The write reached Redis but ${confirmed} of ${wanted} replicas confirmed it within ${waitTimeoutMs} ms; it may be lost if the master fails now.`,
    );
}
