import { z } from "zod";
import type { NewMessage, ThreadRecord } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { createId } from "../record/ids.js";
import { cloneJson } from "../record/json.js";
import { parseInput } from "../record/schemas.js";
import { addressFields, checkNamespaces, MAX_APPEND, messageInputSchema } from "./schemas.js";
import { toMessages } from "./to-public.js";
import type { AppendMessagesInput, Message } from "./types.js";

const appendSchema = z.strictObject({
  ...addressFields,
  messages: z.array(messageInputSchema).max(MAX_APPEND),
  createThread: z.boolean().default(true),
});

/** What a thread created by an append (or a clone) looks like before it is stored. */
export function newThreadRecord(namespace: string, id: string, now: number): ThreadRecord {
  return {
    id,
    namespace,
    title: undefined,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    messageCount: 0,
    summary: undefined,
  };
}

/**
 * Appends messages to a thread, all or none, creating the thread unless `createThread: false`.
 * A message whose id the thread holds already is skipped, so a retried batch changes nothing;
 * the result lists every input's message as stored, in input order.
 */
export async function appendMessages(
  context: MemoryContext,
  raw: AppendMessagesInput,
): Promise<Message[]> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(appendSchema, raw, "append");
  await context.ready();
  const now = context.now();
  const namespace = encodeNamespace(input.namespace);
  const messages: NewMessage[] = input.messages.map((message) => ({
    id: message.id ?? createId(now),
    role: message.role,
    content:
      typeof message.content === "string" ? message.content : structuredClone(message.content),
    metadata: Object.keys(message.metadata).length === 0 ? {} : cloneJson(message.metadata),
    createdAt: message.createdAt ?? now,
  }));
  const result = await context.backend.conversations.appendMessages(
    newThreadRecord(namespace, input.threadId, now),
    messages,
    input.createThread ? "create-if-missing" : "must-exist",
    now,
  );
  if (result.status !== "appended")
    throw new EngramError("NOT_FOUND", `No thread ${input.threadId} in this namespace.`, {
      details: { threadId: input.threadId },
    });
  return toMessages(result.messages);
}
