// Four turns, each in a fresh process, as if the app restarted between them.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const turns: [string, string, string][] = [
  ["alice", "monday", "Remember that I am allergic to peanuts."],
  ["alice", "monday", "I live in Lisbon."],
  ["alice", "tuesday", "Can you suggest somewhere for dinner?"],
  ["bob", "tuesday", "Can you suggest somewhere for dinner?"],
];
for (const args of turns) {
  process.stdout.write(
    execFileSync(process.execPath, [join(import.meta.dirname, "turn.ts"), ...args], {
      encoding: "utf8",
    }),
  );
}
