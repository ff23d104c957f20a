import type { Memory, RestoreItem, RestoreResult } from "@engram/core";
import { EngramError } from "@engram/core";

const BATCH = 500;

// A line's vector, as restore takes it; anything malformed is left to restore to refuse.
function carriedVector(vector: unknown): RestoreItem["vector"] {
  const { model, float32 } = (vector ?? {}) as { model?: unknown; float32?: unknown };
  if (typeof model !== "string" || typeof float32 !== "string") return vector as never;
  const bytes = Buffer.from(float32, "base64");
  const values: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) values.push(bytes.readFloatLE(at));
  return { model, values };
}

/**
 * Restores the lines of an export (memories with their history), in batches. Memories whose id
 * exists are skipped, so importing the same file twice changes nothing. A line's vector is
 * used as is when it was made by the store's model; other lines are embedded.
 */
export async function importMemories(
  memory: Memory,
  lines: AsyncIterable<string>,
): Promise<RestoreResult> {
  const total: RestoreResult = { restored: 0, skipped: 0 };
  let batch: RestoreItem[] = [];
  let lineNumber = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await memory.restore(batch);
    total.restored += result.restored;
    total.skipped += result.skipped;
    batch = [];
  };
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === "") continue;
    let parsed: { history?: unknown; vector?: unknown } & Record<string, unknown>;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new EngramError("INVALID_ARGUMENT", `Line ${lineNumber} is not JSON.`, {
        details: { line: lineNumber },
      });
    }
    const { history, vector, ...record } = parsed;
    batch.push({
      memory: record,
      history: history ?? [],
      ...(vector === undefined ? {} : { vector: carriedVector(vector) }),
    } as RestoreItem);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return total;
}
