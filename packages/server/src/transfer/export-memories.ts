import type { ConfinedMemory, RelativeScope } from "../tenancy/confine-memory.js";
import type { MemoryJson } from "../tenancy/memory-json.js";

/**
 * Every memory in a scope, newest first, one page at a time: the lines of a JSONL export.
 * Namespaces are relative to the caller's root (absolute for a local, rootless caller).
 */
export async function* exportMemories(
  memory: ConfinedMemory,
  scope: RelativeScope = {},
): AsyncGenerator<MemoryJson> {
  let cursor: string | undefined;
  do {
    const page = await memory.list({ ...scope, limit: 500, cursor });
    yield* page.memories;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
