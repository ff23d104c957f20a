import { z } from "zod";
import type { MessageRecord, NewMessage, ThreadRecord } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { createId } from "../record/ids.js";
import { cloneJson } from "../record/json.js";
import { metadataSchema, parseInput } from "../record/schemas.js";
import {
  addressFields,
  checkNamespaces,
  conversationIdSchema,
  MAX_APPEND,
  titleSchema,
} from "./schemas.js";
import { toThread } from "./to-public.js";
import type { CloneThreadInput, Thread } from "./types.js";

const cloneSchema = z
  .strictObject({
    ...addressFields,
    to: z
      .strictObject({
        namespace: z.array(z.string()).optional(),
        id: conversationIdSchema.optional(),
        title: titleSchema.optional(),
        metadata: metadataSchema.optional(),
      })
      .default({}),
    messageIds: z.array(conversationIdSchema).max(10_000).optional(),
    last: z.number().int().min(1).max(100_000).optional(),
    keepMessageIds: z.boolean().default(false),
  })
  .refine((input) => !(input.messageIds && input.last), {
    path: ["last"],
    message: "give messageIds or last, not both",
  });

const PAGE = 1000;

/** Thread order: createdAt, then append order. */
const byPosition = (a: MessageRecord, b: MessageRecord) =>
  a.createdAt - b.createdAt || a.seq - b.seq;

/**
 * Copies a thread and its messages (all, some by id, or the newest `last`) to a new thread in
 * the same or another namespace, keeping their order and createdAt. Messages get new ids
 * unless `keepMessageIds`. `CONFLICT` if the new thread's id is taken.
 */
export async function cloneThread(context: MemoryContext, raw: CloneThreadInput): Promise<Thread> {
  checkNamespaces(raw, "namespace");
  if (typeof raw === "object" && raw !== null) checkNamespaces(raw.to ?? {}, "namespace");
  const input = parseInput(cloneSchema, raw, "clone");
  await context.ready();
  const store = context.backend.conversations;
  const namespace = encodeNamespace(input.namespace);
  const source = await store.getThread(namespace, input.threadId);
  if (!source)
    throw new EngramError("NOT_FOUND", `No thread ${input.threadId} in this namespace.`, {
      details: { threadId: input.threadId },
    });

  let messages: MessageRecord[];
  if (input.messageIds) {
    const found: MessageRecord[] = [];
    for (let i = 0; i < input.messageIds.length; i += PAGE) {
      const ids = [...new Set(input.messageIds.slice(i, i + PAGE))];
      const page = await store.getMessages(namespace, input.threadId, ids);
      for (const message of page) if (message) found.push(message);
    }
    messages = [...new Map(found.map((m) => [m.id, m])).values()].sort(byPosition);
  } else {
    messages = [];
    const direction = input.last ? "backward" : "forward";
    let bound: MessageRecord | undefined;
    for (;;) {
      const want = input.last ? Math.min(PAGE, input.last - messages.length) : PAGE;
      if (want <= 0) break;
      const page = await store.readMessages(namespace, input.threadId, {
        direction,
        limit: want,
        ...(bound ? (direction === "forward" ? { after: bound } : { before: bound }) : {}),
      });
      messages.push(...page);
      bound = page.at(-1);
      if (page.length < want) break;
    }
    if (direction === "backward") messages.reverse();
  }

  const now = context.now();
  const target: ThreadRecord = {
    id: input.to.id ?? createId(now),
    namespace: input.to.namespace ? encodeNamespace(input.to.namespace) : namespace,
    title: input.to.title ?? source.title,
    metadata: cloneJson(input.to.metadata ?? source.metadata),
    createdAt: now,
    updatedAt: now,
    messageCount: 0,
    summary: undefined,
  };
  const copies: NewMessage[] = messages.map((message) => ({
    id: input.keepMessageIds ? message.id : createId(now),
    role: message.role,
    content: message.content,
    metadata: message.metadata,
    createdAt: message.createdAt,
  }));
  // The first write creates the thread (or finds the id taken); longer threads follow in
  // batches, each atomic.
  let thread: ThreadRecord | undefined;
  for (let i = 0; i === 0 || i < copies.length; i += MAX_APPEND) {
    const result = await store.appendMessages(
      target,
      copies.slice(i, i + MAX_APPEND),
      i === 0 ? "must-create" : "must-exist",
      now,
    );
    if (result.status === "exists")
      throw new EngramError("CONFLICT", `A thread ${target.id} exists in that namespace already.`, {
        details: { threadId: target.id },
      });
    if (result.status === "missing")
      throw new EngramError("CONFLICT", `Thread ${target.id} was deleted while it was cloned.`, {
        details: { threadId: target.id },
      });
    thread = result.thread;
  }
  return toThread(thread!);
}
