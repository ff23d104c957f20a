import { filterSchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import { toSelection } from "./selection.js";
import type { ForgetFilter } from "./types.js";

/** How many live memories match a scope and filter. */
export async function count(context: MemoryContext, raw: ForgetFilter): Promise<number> {
  const selection = toSelection(parseInput(filterSchema, raw, "count filter"), context.now());
  await context.ready();
  return (await context.backend.selectIds(selection)).length;
}
