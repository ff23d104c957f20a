import { z } from "zod";
import type { ThreadCursor } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import type { Namespace } from "../namespace/namespace.js";
import { resolveScope } from "../namespace/scope.js";
import { parseInput, scopeFields } from "../record/schemas.js";
import { metadataFilterSchema } from "./schemas.js";
import { toThread } from "./to-public.js";
import type { ListThreadsOptions, ThreadPage } from "./types.js";

const listSchema = z.strictObject({
  ...scopeFields,
  metadata: metadataFilterSchema,
  order: z.enum(["newest", "oldest"]).default("newest"),
  limit: z.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(2000).optional(),
});

function encodeCursor(cursor: ThreadCursor): string {
  return Buffer.from(JSON.stringify([cursor.updatedAt, cursor.namespace, cursor.id])).toString(
    "base64url",
  );
}

function decodeCursor(text: string): ThreadCursor {
  try {
    const [updatedAt, namespace, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Number.isFinite(updatedAt) && typeof namespace === "string" && typeof id === "string")
      return { updatedAt, namespace, id };
  } catch {
    // Reported below.
  }
  throw new EngramError("INVALID_ARGUMENT", "The cursor is not one that threads.list returned.", {
    details: { issues: [{ path: ["cursor"], message: "invalid cursor" }] },
  });
}

/** Threads in a scope, newest activity first (or oldest), filtered by top-level metadata. */
export async function listThreads(
  context: MemoryContext,
  raw: ListThreadsOptions,
): Promise<ThreadPage> {
  const input = parseInput(listSchema, raw, "thread list options");
  const scope = resolveScope({
    namespace: input.namespace as Namespace | Namespace[] | undefined,
    within: input.within as Namespace | Namespace[] | undefined,
  });
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  await context.ready();
  const rows = await context.backend.conversations.listThreads(scope, {
    metadata: input.metadata,
    order: input.order,
    limit: input.limit + 1,
    after,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    threads: page.map(toThread),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last) : undefined,
  };
}
