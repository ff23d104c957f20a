import { z } from "zod";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { parseInput } from "../record/schemas.js";
import { addressFields, checkNamespaces } from "./schemas.js";
import type { ThreadAddress } from "./types.js";

const addressSchema = z.strictObject(addressFields);

/**
 * Deletes a thread with its messages, summary, working memory and ingest state. Memories that
 * ingest made from it stay (they are the namespace's now); `false` if it did not exist.
 */
export async function deleteThread(context: MemoryContext, raw: ThreadAddress): Promise<boolean> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(addressSchema, raw, "thread address");
  await context.ready();
  return context.backend.conversations.deleteThread(
    encodeNamespace(input.namespace),
    input.threadId,
  );
}
