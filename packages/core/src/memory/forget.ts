import { z } from "zod";
import { filterSchema, idSchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import { toSelection } from "./selection.js";
import type { ForgetFilter } from "./types.js";

const idsSchema = z.array(idSchema).max(1000);

/** Deletes memories by id or by filter and returns how many existed. */
export async function forget(
  context: MemoryContext,
  target: string | readonly string[] | ForgetFilter,
): Promise<number> {
  const selectIds = async (): Promise<string[]> => {
    if (typeof target === "string" || Array.isArray(target)) {
      const ids = parseInput(idsSchema, typeof target === "string" ? [target] : target, "ids");
      await context.ready();
      const found = await context.backend.get([...new Set(ids)], context.now());
      return found.flatMap((memory) => (memory ? [memory.id] : []));
    }
    const selection = toSelection(parseInput(filterSchema, target, "forget filter"), context.now());
    await context.ready();
    return context.backend.selectIds(selection);
  };
  return context.serialize(async () => {
    const ids = await selectIds();
    if (ids.length > 0) await context.backend.write(ids.map((id) => ({ type: "delete", id })));
    return ids.length;
  });
}
