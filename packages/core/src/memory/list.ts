import { EngramError } from "../errors/engram-error.js";
import { isId } from "../record/ids.js";
import { listOptionsSchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import { toSelection } from "./selection.js";
import type { ListOptions, MemoryPage } from "./types.js";

function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!isId(id)) {
    throw new EngramError("INVALID_ARGUMENT", "The cursor is not one that list returned.", {
      details: { issues: [{ path: ["cursor"], message: "invalid cursor" }] },
    });
  }
  return id;
}

/** A page of memories, newest first; follow `nextCursor` for the next page. */
export async function list(
  context: MemoryContext,
  raw: ListOptions = {} as ListOptions,
): Promise<MemoryPage> {
  const options = parseInput(listOptionsSchema, raw, "list options");
  const selection = toSelection(options, context.now());
  const before = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  await context.ready();
  const rows = await context.backend.list(selection, { limit: options.limit + 1, before });
  const memories = rows.slice(0, options.limit);
  const last = memories.at(-1);
  return {
    memories,
    nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : undefined,
  };
}
