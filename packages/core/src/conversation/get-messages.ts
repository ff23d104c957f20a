import { z } from "zod";
import type { MessageRecord } from "../backends/conversation-store.js";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace, type Namespace } from "../namespace/namespace.js";
import { resolveScope } from "../namespace/scope.js";
import { parseInput, scopeFields } from "../record/schemas.js";
import { checkNamespaces, conversationIdSchema } from "./schemas.js";
import { toMessages } from "./to-public.js";
import type { GetMessagesInput, Message } from "./types.js";

const ids = z.array(conversationIdSchema).max(1000);
const inThreadSchema = z.strictObject({
  namespace: z.array(z.string()),
  threadId: conversationIdSchema,
  ids,
});
const inScopeSchema = z.strictObject({ ...scopeFields, ids });

/**
 * Messages by id, in the order asked, `undefined` where missing: in one thread, or in any
 * thread in a scope (the most recently updated thread's when several hold an id).
 */
export async function getMessages(
  context: MemoryContext,
  raw: GetMessagesInput,
): Promise<(Message | undefined)[]> {
  const store = context.backend.conversations;
  if (typeof raw === "object" && raw !== null && "threadId" in raw) {
    checkNamespaces(raw, "namespace");
    const input = parseInput(inThreadSchema, raw, "message ids");
    await context.ready();
    const found = await store.getMessages(
      encodeNamespace(input.namespace),
      input.threadId,
      input.ids,
    );
    return withGaps(found);
  }
  const input = parseInput(inScopeSchema, raw, "message ids");
  const scope = resolveScope({
    namespace: input.namespace as Namespace | Namespace[] | undefined,
    within: input.within as Namespace | Namespace[] | undefined,
  });
  await context.ready();
  const found = await store.findMessages(scope, input.ids);
  return withGaps(found);
}

/** Public messages in the same places, `undefined` where none was found. */
function withGaps(found: (MessageRecord | undefined)[]): (Message | undefined)[] {
  const present = toMessages(found.filter((message) => message !== undefined));
  let next = 0;
  return found.map((message) => (message ? present[next++] : undefined));
}
