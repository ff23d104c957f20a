import type { Command } from "commander";
import { confineMemory } from "../../tenancy/confine-memory.js";
import { localPrincipal } from "../../tenancy/principal.js";
import { exportMemories } from "../../transfer/export-memories.js";
import { namespaceOption } from "../namespace-option.js";
import { openMemory } from "../open-memory.js";
import { runAction } from "../run-action.js";

/** `engram export --within a/b > memories.jsonl`. */
export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description(
      "Write every memory in a subtree to stdout as JSON Lines, with its history (engram import restores it)",
    )
    .requiredOption("--within <a/b>", "the subtree to export")
    .option("--data <path>", "SQLite file (default .engram/memory.db, or ENGRAM_DATA)")
    .option("--redis <url>", "use Redis instead of SQLite (or set REDIS_URL)")
    .action(
      runAction(async (options: { within: string; data?: string; redis?: string }) => {
        const memory = await openMemory(options);
        try {
          const confined = confineMemory(memory, localPrincipal());
          let count = 0;
          for await (const record of exportMemories(confined, {
            within: [...namespaceOption(options.within)],
          })) {
            if (!process.stdout.write(`${JSON.stringify(record)}\n`)) {
              await new Promise((resolve) => process.stdout.once("drain", resolve));
            }
            count++;
          }
          process.stderr.write(`engram: exported ${count} memories\n`);
        } finally {
          await memory.close();
        }
      }),
    );
}
