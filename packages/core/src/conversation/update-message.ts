import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { cloneJson } from "../record/json.js";
import { metadataSchema, parseInput } from "../record/schemas.js";
import {
  addressFields,
  checkNamespaces,
  contentSchema,
  conversationIdSchema,
  MAX_MESSAGE_BYTES,
  roleSchema,
} from "./schemas.js";
import { toMessage } from "./to-public.js";
import type { Message, UpdateMessageInput } from "./types.js";

const updateSchema = z.strictObject({
  ...addressFields,
  id: conversationIdSchema,
  content: contentSchema.optional(),
  role: roleSchema.optional(),
  metadata: metadataSchema.optional(),
});

/** Changes the content, role or metadata (replaced) of one message; keeps its place. */
export async function updateMessage(
  context: MemoryContext,
  raw: UpdateMessageInput,
): Promise<Message> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(updateSchema, raw, "message update");
  await context.ready();
  const store = context.backend.conversations;
  const namespace = encodeNamespace(input.namespace);
  const missing = () =>
    new EngramError("NOT_FOUND", `No message ${input.id} in thread ${input.threadId}.`, {
      details: { threadId: input.threadId, messageId: input.id },
    });
  const [current] = await store.getMessages(namespace, input.threadId, [input.id]);
  if (!current) throw missing();
  const next = {
    id: input.id,
    role: input.role ?? current.role,
    content:
      input.content === undefined
        ? current.content
        : typeof input.content === "string"
          ? input.content
          : structuredClone(input.content),
    metadata: input.metadata === undefined ? current.metadata : cloneJson(input.metadata),
  };
  if (Buffer.byteLength(JSON.stringify([next.content, next.metadata])) > MAX_MESSAGE_BYTES)
    throw new EngramError(
      "INVALID_ARGUMENT",
      `A message is larger than ${MAX_MESSAGE_BYTES} bytes.`,
      {
        details: { issues: [{ path: ["content"], message: "too large" }] },
      },
    );
  const updated = await store.updateMessage(namespace, input.threadId, next, context.now());
  if (!updated) throw missing();
  return toMessage(updated);
}
