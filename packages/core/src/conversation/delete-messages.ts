import { z } from "zod";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { parseInput } from "../record/schemas.js";
import { addressFields, checkNamespaces, conversationIdSchema } from "./schemas.js";
import type { DeleteMessagesInput } from "./types.js";

const deleteSchema = z.strictObject({
  ...addressFields,
  ids: z.array(conversationIdSchema).max(1000),
});

/** Deletes messages of one thread by id; returns how many existed. */
export async function deleteMessages(
  context: MemoryContext,
  raw: DeleteMessagesInput,
): Promise<number> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(deleteSchema, raw, "message ids");
  if (input.ids.length === 0) return 0;
  await context.ready();
  return context.backend.conversations.deleteMessages(
    encodeNamespace(input.namespace),
    input.threadId,
    [...new Set(input.ids)],
    context.now(),
  );
}
