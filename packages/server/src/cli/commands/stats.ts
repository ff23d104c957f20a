import type { Command } from "commander";
import { confineMemory } from "../../tenancy/confine-memory.js";
import { localPrincipal } from "../../tenancy/principal.js";
import { countMemories } from "../../transfer/count-memories.js";
import { exportScope } from "../export-scope.js";
import { describeStorage, openMemory, storageOptions } from "../open-memory.js";
import { runAction } from "../run-action.js";

/** `engram stats [--within a]`. */
export function registerStatsCommand(program: Command): void {
  storageOptions(
    program
      .command("stats")
      .description(
        "Count memories by namespace and kind (in the whole store or a subtree), and show the storage mode",
      )
      .option("--within <a/b>", "only this subtree (default: the whole store)")
      .option("--json", "print JSON"),
  ).action(
    runAction(
      async (options: {
        within?: string;
        json?: boolean;
        data?: string;
        redis?: string;
        prefix?: string;
      }) => {
        const memory = await openMemory(options, { mustExist: true });
        try {
          const confined = confineMemory(memory, localPrincipal());
          const { total, namespaces } = await countMemories(
            confined,
            await exportScope(memory, options.within),
          );
          const storage = describeStorage(options);
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ storage, total, namespaces }, null, 2)}\n`);
            return;
          }
          process.stdout.write(`storage: ${storage}\ntotal: ${total}\n`);
          for (const { namespace, kinds } of namespaces) {
            const counts = Object.entries(kinds).map(([kind, count]) => `${kind}=${count}`);
            process.stdout.write(`${namespace}  ${counts.join(" ")}\n`);
          }
        } finally {
          await memory.close();
        }
      },
    ),
  );
}
