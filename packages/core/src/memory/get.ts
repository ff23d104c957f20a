import type { MemoryRecord } from "../record/memory-record.js";
import { idSchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";

/** One memory by id, or `undefined` if there is none (or it expired). */
export async function get(context: MemoryContext, id: string): Promise<MemoryRecord | undefined> {
  const valid = parseInput(idSchema, id, "id");
  await context.ready();
  const [memory] = await context.backend.get([valid], context.now());
  return memory;
}
