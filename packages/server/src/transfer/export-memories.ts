import type { ConfinedMemory, HistoryEntryJson, RelativeScope } from "../tenancy/confine-memory.js";
import type { MemoryJson } from "../tenancy/memory-json.js";

/** One line of an export: a memory and its recorded changes. */
export type ExportLine = MemoryJson & { history: HistoryEntryJson[] };

/**
 * Every memory in a scope, newest first, one page at a time, each with its history: the lines
 * of a JSONL export. Namespaces are relative to the caller's root (absolute for a local,
 * rootless caller).
 */
export async function* exportMemories(
  memory: ConfinedMemory,
  scope: RelativeScope = {},
): AsyncGenerator<ExportLine> {
  let cursor: string | undefined;
  do {
    const page = await memory.list({ ...scope, limit: 500, cursor });
    for (const record of page.memories)
      yield { ...record, history: await memory.history(record.id) };
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
