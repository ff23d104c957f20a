import type { Memory, RestoreItem, RestoreResult } from "@engram/core";
import { EngramError } from "@engram/core";

const BATCH = 500;

/**
 * Restores the lines of an export (memories with their history), in batches. Memories whose id
 * exists are skipped, so importing the same file twice changes nothing.
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
    let parsed: { history?: unknown } & Record<string, unknown>;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new EngramError("INVALID_ARGUMENT", `Line ${lineNumber} is not JSON.`, {
        details: { line: lineNumber },
      });
    }
    const { history, ...record } = parsed;
    batch.push({ memory: record, history: history ?? [] } as RestoreItem);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return total;
}
