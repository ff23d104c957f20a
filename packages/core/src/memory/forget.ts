import { z } from "zod";
import type { HistorySource, WriteOperation } from "../backends/backend.js";
import type { MemoryRecord } from "../record/memory-record.js";
import { filterSchema, idSchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import { toSelection } from "./selection.js";
import type { ForgetFilter } from "./types.js";

const idsSchema = z.array(idSchema).max(1000);

/** Deletes memories by id or by filter and returns how many existed. */
export async function forget(
  context: MemoryContext,
  target: string | readonly string[] | ForgetFilter,
  source?: HistorySource,
): Promise<number> {
  const select = async (): Promise<MemoryRecord[]> => {
    const now = context.now();
    if (typeof target === "string" || Array.isArray(target)) {
      const ids = parseInput(idsSchema, typeof target === "string" ? [target] : target, "ids");
      await context.ready();
      return (await context.backend.get([...new Set(ids)], now)).filter((m) => m !== undefined);
    }
    const selection = toSelection(parseInput(filterSchema, target, "forget filter"), now);
    await context.ready();
    return (await context.backend.get(await context.backend.selectIds(selection), now)).filter(
      (m) => m !== undefined,
    );
  };
  return context.serialize(async () => {
    const doomed = await select();
    const at = new Date(context.now());
    if (doomed.length > 0) await context.backend.write(deletionWrites(doomed, at, source));
    return doomed.length;
  });
}

/** The delete and history operations that remove these memories. */
export function deletionWrites(
  memories: readonly MemoryRecord[],
  at: Date,
  source?: HistorySource,
): WriteOperation[] {
  return memories.flatMap((memory): WriteOperation[] => [
    { type: "delete", id: memory.id },
    {
      type: "history",
      entry: {
        memoryId: memory.id,
        namespace: memory.namespace,
        action: "deleted",
        before: memory,
        after: undefined,
        at,
        ...(source ? { source } : {}),
      },
    },
  ]);
}
