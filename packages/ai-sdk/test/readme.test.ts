import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

// The README's Usage example, run as a user would run it, once per AI SDK major. It runs in a
// directory inside the package so that its imports resolve to this package's dependencies.
const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
const usage = readme.slice(readme.indexOf("## Usage"));
const example = usage.match(/```ts\n([\s\S]*?)```/)?.[1] ?? "";
const cwd = mkdtempSync(join(import.meta.dirname, "..", ".readme-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

it.each([
  ["ai 6", example],
  [
    "ai 7",
    example
      .replaceAll('from "ai"', 'from "ai-v7"')
      .replaceAll('from "ai/test"', 'from "ai-v7/test"'),
  ],
])("the Usage example runs on %s", (_, code) => {
  expect(code).toContain("memoryMiddleware");
  const output = execFileSync(process.execPath, ["--input-type=module-typescript", "-e", code], {
    cwd: mkdtempSync(join(cwd, "run-")),
    encoding: "utf8",
  });
  expect(output).toContain("<memory>");
  expect(output).toContain("Alice prefers meetings before noon");
  expect(output).toContain("When should we schedule the design review?");
  expect(output).toMatch(/content: 'Alice prefers meetings before noon'/);
  expect(output).toContain("[ 'user', 'assistant' ]");
});
