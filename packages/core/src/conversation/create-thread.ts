import { z } from "zod";
import type { ThreadRecord } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { createId } from "../record/ids.js";
import { cloneJson } from "../record/json.js";
import { metadataSchema, parseInput } from "../record/schemas.js";
import { checkNamespaces, conversationIdSchema, createdAtSchema, titleSchema } from "./schemas.js";
import { toThread } from "./to-public.js";
import type { CreateThreadInput, Thread } from "./types.js";

const createSchema = z.strictObject({
  namespace: z.array(z.string()),
  id: conversationIdSchema.optional(),
  title: titleSchema.optional(),
  metadata: metadataSchema.default({}),
  createdAt: createdAtSchema.optional(),
});

/** Creates a thread; `CONFLICT` if its id exists in that namespace. */
export async function createThread(
  context: MemoryContext,
  raw: CreateThreadInput,
): Promise<Thread> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(createSchema, raw, "thread");
  await context.ready();
  const now = context.now();
  // A thread imported with its own createdAt was last active then, not now.
  const createdAt = input.createdAt ?? now;
  const record: ThreadRecord = {
    id: input.id ?? createId(now),
    namespace: encodeNamespace(input.namespace),
    title: input.title,
    metadata: cloneJson(input.metadata),
    createdAt,
    updatedAt: createdAt,
    messageCount: 0,
    summary: undefined,
  };
  if (!(await context.backend.conversations.createThread(record))) {
    throw new EngramError("CONFLICT", `A thread ${record.id} exists in this namespace already.`, {
      details: { threadId: record.id },
    });
  }
  return toThread(record);
}
