import type { MemoryVector } from "@engram/core";
import type { ConfinedMemory } from "../tenancy/confine-memory.js";
import type { MemoryJson } from "../tenancy/memory-json.js";
import type { HistoryEntryJson, RelativeScope } from "../tenancy/relative-types.js";

/** A stored vector in an export line: its model, and its float32 values (little-endian) in base64. */
export interface VectorJson {
  model: string;
  float32: string;
}

/** One line of an export: a memory, its recorded changes and, when asked for, its vector. */
export type ExportLine = MemoryJson & { history: HistoryEntryJson[]; vector?: VectorJson };

/** A vector as an export line carries it. */
export function toVectorJson({ model, vector }: MemoryVector): VectorJson {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => {
    bytes.writeFloatLE(value, index * 4);
  });
  return { model, float32: bytes.toString("base64") };
}

/**
 * Every memory in a scope, newest first, one page at a time, each with its history (and, with
 * `vectors`, its stored vector, so that an import on the same model embeds nothing): the lines
 * of a JSONL export. Namespaces are relative to the caller's root (absolute for a local,
 * rootless caller).
 */
export async function* exportMemories(
  memory: ConfinedMemory,
  scope: RelativeScope = {},
  { vectors = false }: { vectors?: boolean } = {},
): AsyncGenerator<ExportLine> {
  let cursor: string | undefined;
  do {
    const page = await memory.list({ ...scope, limit: 500, cursor });
    const stored = vectors ? await memory.vectors(page.memories.map((record) => record.id)) : [];
    for (const [index, record] of page.memories.entries()) {
      const vector = stored[index];
      yield {
        ...record,
        history: await memory.history(record.id),
        ...(vector ? { vector: toVectorJson(vector) } : {}),
      };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
