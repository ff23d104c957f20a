import { z } from "zod";
import type { MemoryContext } from "../memory/context.js";
import type { Namespace } from "../namespace/namespace.js";
import { resolveScope, type Scope } from "../namespace/scope.js";
import { parseInput, scopeFields } from "../record/schemas.js";
import { conversationIdSchema } from "./schemas.js";
import { toThread } from "./to-public.js";
import type { Thread, ThreadAddress } from "./types.js";

const getSchema = z.strictObject({ ...scopeFields, threadId: conversationIdSchema });

/**
 * A thread by address, or by id anywhere in a scope (the most recently updated one when
 * several namespaces in scope hold that id); `undefined` when there is none.
 */
export async function getThread(
  context: MemoryContext,
  raw: ThreadAddress | (Scope & { threadId: string }),
): Promise<Thread | undefined> {
  const input = parseInput(getSchema, raw, "thread address");
  const scope = resolveScope({
    namespace: input.namespace as Namespace | Namespace[] | undefined,
    within: input.within as Namespace | Namespace[] | undefined,
  });
  await context.ready();
  const { conversations } = context.backend;
  const record =
    scope.exact.length === 1 && scope.prefixes.length === 0
      ? await conversations.getThread(scope.exact[0]!, input.threadId)
      : await conversations.findThread(scope, input.threadId);
  return record && toThread(record);
}
