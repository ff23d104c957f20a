import { z } from "zod";
import type { MessagePosition, MessageQuery } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { parseInput } from "../record/schemas.js";
import {
  addressFields,
  checkNamespaces,
  conversationIdSchema,
  createdAtSchema,
  roleSchema,
} from "./schemas.js";
import { toMessages } from "./to-public.js";
import type { ListMessagesOptions, MessageWindow } from "./types.js";

const listSchema = z
  .strictObject({
    ...addressFields,
    last: z.number().int().min(1).max(1000).optional(),
    before: conversationIdSchema.optional(),
    after: conversationIdSchema.optional(),
    from: createdAtSchema.optional(),
    to: createdAtSchema.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    roles: z.array(roleSchema).min(1).max(4).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.last !== undefined && input.after !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["last"],
        message: "last reads backward: not with after",
      });
    if (input.last !== undefined && input.limit !== undefined)
      ctx.addIssue({ code: "custom", path: ["last"], message: "give last or limit, not both" });
  });

const DEFAULT_WINDOW = 50;

/**
 * A window of a thread, oldest first: the newest messages by default, or a page before or after
 * a message, within a time range, of some roles. Each read is an index range, O(log n).
 */
export async function listMessages(
  context: MemoryContext,
  raw: ListMessagesOptions,
): Promise<MessageWindow> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(listSchema, raw, "message window");
  await context.ready();
  const store = context.backend.conversations;
  const namespace = encodeNamespace(input.namespace);
  const anchors = [input.before, input.after].filter((id): id is string => id !== undefined);
  const found =
    anchors.length > 0 ? await store.getMessages(namespace, input.threadId, anchors) : [];
  const position = (id: string | undefined): MessagePosition | undefined => {
    if (id === undefined) return undefined;
    const message = found[anchors.indexOf(id)];
    if (!message)
      throw new EngramError("NOT_FOUND", `No message ${id} in thread ${input.threadId}.`, {
        details: { threadId: input.threadId, messageId: id },
      });
    return message;
  };
  const filters = {
    from: input.from,
    to: input.to,
    roles: input.roles,
  };
  const before = position(input.before);
  const after = position(input.after);
  const direction = after ? "forward" : "backward";
  const limit = input.last ?? input.limit ?? DEFAULT_WINDOW;
  const rows = await store.readMessages(namespace, input.threadId, {
    ...filters,
    direction,
    before,
    after,
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (direction === "backward") page.reverse();
  const first = page[0];
  const last = page.at(-1);
  if (!first || !last) return { messages: [], previousCursor: undefined, nextCursor: undefined };

  // Whether a neighbouring page exists: the extra row answers for the direction read; the other
  // side needs a probe only when the read started at a bound (otherwise it is the thread's end).
  const probe = async (query: Pick<MessageQuery, "direction" | "before" | "after">) =>
    (await store.readMessages(namespace, input.threadId, { ...filters, ...query, limit: 1 }))
      .length > 0;
  const older =
    direction === "backward"
      ? more
      : (after !== undefined || input.from !== undefined) &&
        (await probe({ direction: "backward", before: first }));
  const newer =
    direction === "forward"
      ? more
      : (before !== undefined || input.to !== undefined) &&
        (await probe({ direction: "forward", after: last }));
  return {
    messages: toMessages(page),
    previousCursor: older ? first.id : undefined,
    nextCursor: newer ? last.id : undefined,
  };
}
