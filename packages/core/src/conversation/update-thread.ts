import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { cloneJson } from "../record/json.js";
import { metadataSchema, parseInput } from "../record/schemas.js";
import { addressFields, checkNamespaces, titleSchema } from "./schemas.js";
import { toThread } from "./to-public.js";
import type { Thread, UpdateThreadInput } from "./types.js";

const updateSchema = z.strictObject({
  ...addressFields,
  title: titleSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
});

/** Sets or clears a thread's title and replaces its metadata; `NOT_FOUND` if it is missing. */
export async function updateThread(
  context: MemoryContext,
  raw: UpdateThreadInput,
): Promise<Thread> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(updateSchema, raw, "thread update");
  await context.ready();
  const record = await context.backend.conversations.updateThread(
    encodeNamespace(input.namespace),
    input.threadId,
    {
      title: input.title,
      metadata: input.metadata === undefined ? undefined : cloneJson(input.metadata),
    },
    context.now(),
  );
  if (!record)
    throw new EngramError("NOT_FOUND", `No thread ${input.threadId} in this namespace.`, {
      details: { threadId: input.threadId },
    });
  return toThread(record);
}
