import { type ResolvedScope, scopeIncludes } from "../../../namespace/scope.js";
import type { JsonObject } from "../../../record/memory-record.js";
import type { StoredSummary, ThreadCursor, ThreadRecord } from "../../conversation-store.js";
import type { RedisKeys } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import { decodeThread, THREAD_FIELDS } from "./codec.js";
import { conversationNamespacesIn, tenantsOf } from "./namespaces.js";
import { runScript } from "./run-script.js";
import { DELETE_THREAD, SET_IF_EXISTS, UPDATE_THREAD } from "./scripts.js";

/** (updatedAt, namespace, id) order, the order thread lists page in. */
export function compareThreads(a: ThreadCursor, b: ThreadCursor): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt - b.updatedAt;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

const PAGE = 200;

/** Thread reads and writes on Redis; each write is one script, so it is atomic. */
export function redisThreads(connection: () => RedisClientLike, keys: RedisKeys) {
  const threadKeys = (namespace: string, id: string) => ({
    thread: keys.thread(namespace, id),
    messages: keys.threadMessages(namespace, id),
    order: keys.threadOrder(namespace, id),
    appends: keys.threadAppends(namespace, id),
  });

  async function getThread(namespace: string, id: string): Promise<ThreadRecord | undefined> {
    return decodeThread(
      await connection().sendCommand(["HMGET", keys.thread(namespace, id), ...THREAD_FIELDS]),
    );
  }

  async function findThread(scope: ResolvedScope, id: string): Promise<ThreadRecord | undefined> {
    const client = connection();
    const homes = await Promise.all(
      (await tenantsOf(client, keys, scope)).map(
        (tenant) =>
          client.sendCommand(["ZRANGE", keys.threadHomes(tenant, id), "0", "-1"]) as Promise<
            string[]
          >,
      ),
    );
    const namespaces = homes.flat().filter((namespace) => scopeIncludes(scope, namespace));
    const threads = await Promise.all(namespaces.map((namespace) => getThread(namespace, id)));
    let best: ThreadRecord | undefined;
    for (const thread of threads)
      if (thread && (!best || compareThreads(thread, best) > 0)) best = thread;
    return best;
  }

  async function updateThread(
    namespace: string,
    id: string,
    patch: { title?: string | null | undefined; metadata?: JsonObject | undefined },
    at: number,
  ): Promise<ThreadRecord | undefined> {
    const reply = await runScript(
      connection(),
      UPDATE_THREAD,
      [keys.thread(namespace, id), keys.namespaceThreads(namespace)],
      [
        String(at),
        id,
        patch.title === undefined ? "keep" : patch.title === null ? "clear" : "set",
        patch.title ?? "",
        patch.metadata === undefined ? "keep" : "set",
        JSON.stringify(patch.metadata ?? {}),
      ],
    );
    return reply ? decodeThread(reply) : undefined;
  }

  async function deleteThread(namespace: string, id: string): Promise<boolean> {
    const own = threadKeys(namespace, id);
    const reply = await runScript(
      connection(),
      DELETE_THREAD,
      [
        own.thread,
        own.messages,
        own.order,
        own.appends,
        keys.namespaceThreads(namespace),
        keys.threadHomes(keys.tenantOf(namespace), id),
        keys.messageHomes(namespace),
      ],
      [id, namespace],
    );
    return Number(reply) === 1;
  }

  /** Threads of one namespace in list order past `after`, until `limit` pass the filter. */
  async function threadsOf(
    namespace: string,
    options: Parameters<typeof listThreads>[1],
  ): Promise<ThreadRecord[]> {
    const client = connection();
    const newest = options.order === "newest";
    const bound = options.after ? String(options.after.updatedAt) : newest ? "+inf" : "-inf";
    const out: ThreadRecord[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const range = newest ? [bound, "-inf", "BYSCORE", "REV"] : [bound, "+inf", "BYSCORE"];
      const ids = (await client.sendCommand([
        "ZRANGE",
        keys.namespaceThreads(namespace),
        ...range,
        "LIMIT",
        String(offset),
        String(PAGE),
      ])) as string[];
      const threads = await Promise.all(ids.map((id) => getThread(namespace, id)));
      for (const thread of threads) {
        if (!thread) continue;
        if (options.after) {
          const side = compareThreads(thread, options.after);
          if (newest ? side >= 0 : side <= 0) continue;
        }
        if (!matchesMetadata(thread.metadata, options.metadata)) continue;
        out.push(thread);
      }
      if (out.length >= options.limit || ids.length < PAGE) return out;
    }
  }

  async function listThreads(
    scope: ResolvedScope,
    options: {
      metadata: Readonly<Record<string, string | number | boolean | null>> | undefined;
      order: "newest" | "oldest";
      limit: number;
      after: ThreadCursor | undefined;
    },
  ): Promise<ThreadRecord[]> {
    const namespaces = await conversationNamespacesIn(connection(), keys, scope);
    const found = (await Promise.all(namespaces.map((ns) => threadsOf(ns, options)))).flat();
    const sign = options.order === "newest" ? -1 : 1;
    return found.sort((a, b) => sign * compareThreads(a, b)).slice(0, options.limit);
  }

  async function setSummary(
    namespace: string,
    id: string,
    summary: StoredSummary,
  ): Promise<boolean> {
    const reply = await runScript(
      connection(),
      SET_IF_EXISTS,
      [keys.thread(namespace, id)],
      ["summary", JSON.stringify(summary)],
    );
    return Number(reply) === 1;
  }

  return { threadKeys, getThread, findThread, updateThread, deleteThread, listThreads, setSummary };
}

/** Top-level metadata equality, type-strict, as SQLite's JSON filter does it. */
function matchesMetadata(
  metadata: JsonObject,
  wanted: Readonly<Record<string, string | number | boolean | null>> | undefined,
): boolean {
  for (const [key, value] of Object.entries(wanted ?? {}))
    if (!Object.hasOwn(metadata, key) || metadata[key] !== value) return false;
  return true;
}
