import type { Command } from "commander";
import { confineMemory } from "../../tenancy/confine-memory.js";
import { localPrincipal } from "../../tenancy/principal.js";
import { exportMemories } from "../../transfer/export-memories.js";
import { exportScope } from "../export-scope.js";
import { openMemory, storageOptions } from "../open-memory.js";
import { runAction } from "../run-action.js";

/** `engram export [--within a/b] > memories.jsonl`. */
export function registerExportCommand(program: Command): void {
  storageOptions(
    program
      .command("export")
      .description(
        "Write every memory (or those in a subtree) to stdout as JSON Lines, with its history (engram import restores it)",
      )
      .option("--within <a/b>", "only this subtree (default: the whole store)")
      .option(
        "--no-vectors",
        "leave out the stored vectors (engram import then embeds every memory again)",
      ),
  ).action(
    runAction(
      async (options: {
        within?: string;
        vectors: boolean;
        data?: string;
        redis?: string;
        prefix?: string;
      }) => {
        const memory = await openMemory(options, { mustExist: true });
        try {
          const confined = confineMemory(memory, localPrincipal());
          const scope = await exportScope(memory, options.within);
          let count = 0;
          const lines = scope ? exportMemories(confined, scope, { vectors: options.vectors }) : [];
          for await (const record of lines) {
            if (!process.stdout.write(`${JSON.stringify(record)}\n`)) {
              await new Promise((resolve) => process.stdout.once("drain", resolve));
            }
            count++;
          }
          process.stderr.write(`engram: exported ${count} memories\n`);
        } finally {
          await memory.close();
        }
      },
    ),
  );
}
