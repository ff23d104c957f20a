import type { Command } from "commander";
import { confineMemory } from "../../tenancy/confine-memory.js";
import { localPrincipal } from "../../tenancy/principal.js";
import { namespaceOption } from "../namespace-option.js";
import { openMemory } from "../open-memory.js";
import { runAction } from "../run-action.js";

/** `engram erase a/b`. */
export function registerEraseCommand(program: Command): void {
  program
    .command("erase")
    .description(
      "Erase a namespace and everything beneath it: memories, threads, messages, working memory",
    )
    .argument("<a/b>", "the subtree to erase")
    .option("--json", "print JSON")
    .option("--data <path>", "SQLite file (default .engram/memory.db, or ENGRAM_DATA)")
    .option("--redis <url>", "use Redis instead of SQLite (or set REDIS_URL)")
    .action(
      runAction(
        async (prefix: string, options: { json?: boolean; data?: string; redis?: string }) => {
          const namespace = namespaceOption(prefix);
          const memory = await openMemory(options);
          try {
            const { deleted: _, ...report } = await confineMemory(memory, localPrincipal()).erase(
              namespace,
            );
            if (options.json) {
              process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
              return;
            }
            const attached = Object.entries(report.attached).map(
              ([store, count]) => ` ${store}=${count}`,
            );
            process.stdout.write(
              `erased ${namespace.join("/")}: memories=${report.memories} threads=${report.threads} messages=${report.messages} workingMemories=${report.workingMemories}${attached.join("")}\n`,
            );
          } finally {
            await memory.close();
          }
        },
      ),
    );
}
