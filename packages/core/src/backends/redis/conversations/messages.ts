import type { ResolvedScope } from "../../../namespace/scope.js";
import type {
  AppendMode,
  AppendResult,
  MessageQuery,
  MessageRecord,
  NewMessage,
  ThreadRecord,
} from "../../conversation-store.js";
import type { RedisKeys } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import {
  decodeMessage,
  decodeMessagePairs,
  decodeThread,
  messageBody,
  sortKey,
  timeKey,
} from "./codec.js";
import { conversationNamespacesIn, type RegisterConversationTenant } from "./namespaces.js";
import { runScript } from "./run-script.js";
import { APPEND, APPENDED, DELETE_MESSAGES, UPDATE_MESSAGE, WINDOW } from "./scripts.js";
import type { redisThreads } from "./threads.js";

interface Bound {
  value: string;
  inclusive: boolean;
}

/**
 * The BYLEX range of a query over the order set. Members are sort key + id, so a message at
 * position p is the only member starting with sortKey(p): "after p" starts at sortKey(p with
 * seq + 1), "before p" ends before sortKey(p), and times bound by their 16-digit prefix.
 */
export function lexRange(query: MessageQuery): { min: string; max: string } {
  const mins: Bound[] = [];
  const maxes: Bound[] = [];
  if (query.after)
    mins.push({ value: sortKey({ ...query.after, seq: query.after.seq + 1 }), inclusive: true });
  if (query.from !== undefined) mins.push({ value: timeKey(query.from), inclusive: true });
  if (query.before) maxes.push({ value: sortKey(query.before), inclusive: false });
  if (query.to !== undefined) maxes.push({ value: timeKey(query.to), inclusive: false });
  const tightest = (bounds: Bound[], larger: boolean) =>
    bounds.reduce<Bound | undefined>((best, bound) => {
      if (!best) return bound;
      if (bound.value === best.value) return bound.inclusive ? best : bound;
      return bound.value > best.value === larger ? bound : best;
    }, undefined);
  const min = tightest(mins, true);
  const max = tightest(maxes, false);
  return {
    min: min ? `${min.inclusive ? "[" : "("}${min.value}` : "-",
    max: max ? `${max.inclusive ? "[" : "("}${max.value}` : "+",
  };
}

/** Message reads and writes on Redis: one script per operation, O(log n) per window. */
export function redisMessages(
  connection: () => RedisClientLike,
  keys: RedisKeys,
  threads: ReturnType<typeof redisThreads>,
  register: RegisterConversationTenant,
) {
  async function appendMessages(
    thread: ThreadRecord,
    messages: readonly NewMessage[],
    mode: AppendMode,
    at: number,
  ): Promise<AppendResult> {
    const own = threads.threadKeys(thread.namespace, thread.id);
    await register(connection(), thread.namespace);
    const reply = (await runScript(
      connection(),
      APPEND,
      [
        own.thread,
        own.messages,
        own.order,
        own.appends,
        keys.namespaceThreads(thread.namespace),
        keys.conversationNamespaces(keys.tenantOf(thread.namespace)),
        keys.threadHomes(keys.tenantOf(thread.namespace), thread.id),
        keys.messageHomes(thread.namespace),
      ],
      [
        mode,
        String(at),
        thread.namespace,
        thread.id,
        thread.title === undefined ? "0" : "1",
        thread.title ?? "",
        JSON.stringify(thread.metadata),
        String(thread.createdAt),
        String(thread.updatedAt),
        ...messages.flatMap((message) => [
          message.id,
          timeKey(message.createdAt),
          messageBody(message),
        ]),
      ],
    )) as [string, ...unknown[]];
    if (reply[0] === "missing") return { status: "missing" };
    if (reply[0] === "exists") return { status: "exists" };
    const values = reply.slice(2) as string[];
    return {
      status: "appended",
      thread: decodeThread(reply[1])!,
      messages: values.map((value, index) =>
        decodeMessage(messages[index]!.id, value, thread.namespace, thread.id),
      ),
    };
  }

  async function readMessages(
    namespace: string,
    threadId: string,
    query: MessageQuery,
  ): Promise<MessageRecord[]> {
    const own = threads.threadKeys(namespace, threadId);
    const out: MessageRecord[] = [];
    let window = query;
    // Without a role filter one page answers; with one, read on past the bound of the last
    // page until enough messages match (each page is still one O(log n) range).
    for (;;) {
      const want = query.limit - out.length;
      const page = query.roles ? Math.max(want, 100) : want;
      const { min, max } = lexRange(window);
      const found = decodeMessagePairs(
        await runScript(
          connection(),
          WINDOW,
          [own.order, own.messages],
          [query.direction, min, max, String(page)],
        ),
        namespace,
        threadId,
      );
      for (const message of found) {
        if (query.roles && !query.roles.includes(message.role)) continue;
        if (out.length < query.limit) out.push(message);
      }
      const last = found.at(-1);
      if (!query.roles || out.length >= query.limit || found.length < page || !last) return out;
      window =
        query.direction === "forward" ? { ...window, after: last } : { ...window, before: last };
    }
  }

  async function readAppended(
    namespace: string,
    threadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<MessageRecord[]> {
    const own = threads.threadKeys(namespace, threadId);
    return decodeMessagePairs(
      await runScript(
        connection(),
        APPENDED,
        [own.appends, own.messages],
        [String(afterSeq), String(limit)],
      ),
      namespace,
      threadId,
    );
  }

  async function getMessages(
    namespace: string,
    threadId: string,
    ids: readonly string[],
  ): Promise<(MessageRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const values = (await connection().sendCommand([
      "HMGET",
      keys.threadMessages(namespace, threadId),
      ...ids,
    ])) as (string | null)[];
    return values.map((value, index) =>
      value ? decodeMessage(ids[index]!, value, namespace, threadId) : undefined,
    );
  }

  async function findMessages(
    scope: ResolvedScope,
    ids: readonly string[],
  ): Promise<(MessageRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const client = connection();
    const namespaces = await conversationNamespacesIn(client, keys, scope);
    const homes = await Promise.all(
      namespaces.map(
        (namespace) =>
          client.sendCommand(["HMGET", keys.messageHomes(namespace), ...ids]) as Promise<
            (string | null)[]
          >,
      ),
    );
    const candidates = namespaces.flatMap((namespace, n) =>
      ids.flatMap((id, index) =>
        (homes[n]![index] ?? "")
          .split("\n")
          .filter(Boolean)
          .map((threadId) => ({ namespace, threadId, id })),
      ),
    );
    const read = await Promise.all(
      candidates.map(async ({ namespace, threadId, id }) => {
        const [value, score] = await Promise.all([
          client.sendCommand(["HGET", keys.threadMessages(namespace, threadId), id]) as Promise<
            string | null
          >,
          client.sendCommand(["ZSCORE", keys.namespaceThreads(namespace), threadId]) as Promise<
            string | null
          >,
        ]);
        return value
          ? { message: decodeMessage(id, value, namespace, threadId), updatedAt: Number(score) }
          : undefined;
      }),
    );
    // Several threads in scope may hold an id: the most recently updated one's wins.
    const best = new Map<string, { message: MessageRecord; updatedAt: number }>();
    for (const entry of read) {
      if (!entry) continue;
      const held = best.get(entry.message.id);
      if (!held || rank(entry) > rank(held)) best.set(entry.message.id, entry);
    }
    return ids.map((id) => best.get(id)?.message);
  }

  async function updateMessage(
    namespace: string,
    threadId: string,
    message: Pick<MessageRecord, "id" | "role" | "content" | "metadata">,
    at: number,
  ): Promise<MessageRecord | undefined> {
    const own = threads.threadKeys(namespace, threadId);
    const value = (await runScript(
      connection(),
      UPDATE_MESSAGE,
      [own.thread, own.messages, keys.namespaceThreads(namespace)],
      [message.id, messageBody(message), String(at), threadId],
    )) as string | null;
    return value ? decodeMessage(message.id, value, namespace, threadId) : undefined;
  }

  async function deleteMessages(
    namespace: string,
    threadId: string,
    ids: readonly string[],
    at: number,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const own = threads.threadKeys(namespace, threadId);
    return Number(
      await runScript(
        connection(),
        DELETE_MESSAGES,
        [
          own.thread,
          own.messages,
          own.order,
          own.appends,
          keys.namespaceThreads(namespace),
          keys.messageHomes(namespace),
        ],
        [String(at), threadId, ...ids],
      ),
    );
  }

  return {
    appendMessages,
    readMessages,
    readAppended,
    getMessages,
    findMessages,
    updateMessage,
    deleteMessages,
  };
}

/** (thread updatedAt, namespace, thread id), larger wins. */
function rank(entry: { message: MessageRecord; updatedAt: number }): string {
  const { message, updatedAt } = entry;
  return `${timeKey(updatedAt)}\u0000${message.namespace}\u0000${message.threadId}`;
}
