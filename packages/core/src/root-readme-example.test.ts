import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("runs the root README's `Use it` example and prints the score its comment shows", () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Use it"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  const promised = /\/\/ (.+)$/m.exec(
    block.split("\n").find((line) => line.includes("score"))!,
  )![1]!;
  // As a user runs it: a fresh process in an empty directory, the default store and embedder.
  const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "engram-use-it-"));
  try {
    const file = join(dir, "use-it.mjs");
    writeFileSync(file, block.replaceAll('from "@engram/core"', `from ${JSON.stringify(built)}`));
    const printed = execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" }).trim();
    const [, content, score] = /^(.*) (\d\.\d+)$/.exec(printed)!;
    expect(`${content} ${Number(score).toFixed(2)}`).toBe(promised);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
