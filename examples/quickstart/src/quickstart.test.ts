import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const cwd = mkdtempSync(join(tmpdir(), "engram-quickstart-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function run(script: string, ...args: string[]): string {
  return execFileSync(process.execPath, [join(import.meta.dirname, script), ...args], {
    cwd,
    encoding: "utf8",
  });
}

it("recalls in a second process what the first remembered, PostgreSQL first", () => {
  expect(run("remember.ts")).toContain("Remembered 6 facts");
  const answer = run("recall.ts").trim().split("\n");
  expect(answer[1]).toMatch(/^1\. \[\d\.\d{3}\] Our main database is PostgreSQL 16/);
});

it("neither duplicates nor reports updates when run again unchanged", () => {
  const again = run("remember.ts");
  expect(again.match(/^skipped /gm)).toHaveLength(6);
  expect(again).not.toMatch(/^(created|updated)/m);
  expect(run("recall.ts", "Who should I page tonight?")).toMatch(/1\. \[[\d.]+\] Priya is on call/);
});
