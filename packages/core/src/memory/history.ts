import type { HistoryEntry } from "../backends/backend.js";
import { idSchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";

/** Every recorded change of one memory, oldest first, even after it was deleted. */
export async function history(context: MemoryContext, id: string): Promise<HistoryEntry[]> {
  const valid = parseInput(idSchema, id, "id");
  await context.ready();
  return context.backend.history(valid);
}
