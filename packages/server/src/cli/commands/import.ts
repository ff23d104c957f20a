import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { importMemories } from "../../transfer/import-memories.js";
import { openMemory, storageOptions } from "../open-memory.js";
import { runAction } from "../run-action.js";

/** `engram import memories.jsonl` (or `-` for stdin). */
export function registerImportCommand(program: Command): void {
  storageOptions(
    program
      .command("import")
      .description("Restore an export (JSON Lines with history); memories that exist are skipped")
      .argument("<file>", "a file written by engram export, or - for stdin"),
  ).action(
    runAction(async (file: string, options: { data?: string; redis?: string; prefix?: string }) => {
      const input = file === "-" ? process.stdin : createReadStream(file, "utf8");
      const memory = await openMemory(options);
      try {
        const result = await importMemories(
          memory,
          createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }),
        );
        process.stderr.write(
          `engram: restored ${result.restored} memories, skipped ${result.skipped} that exist\n`,
        );
      } finally {
        await memory.close();
      }
    }),
  );
}
