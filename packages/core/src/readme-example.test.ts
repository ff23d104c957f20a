import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, it, vi } from "vitest";

const MARKER = "<!-- This block is run by src/readme-example.test.ts. -->";

it("runs the conversation example of the README as written", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  expect(readme).toContain(MARKER);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(MARKER)))![1]!;
  // The example imports the published name; here it gets this checkout's source.
  const source = fileURLToPath(new URL("./index.ts", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "engram-readme-"));
  const file = join(dir, "example.ts");
  writeFileSync(file, block.replaceAll('from "@engram/core"', `from ${JSON.stringify(source)}`));
  const printed: unknown[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((value: unknown) => {
    printed.push(value);
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    log.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(printed[0]).toEqual([
    "user: I'm vegetarian and I'm planning a trip to Kyoto in April.",
    "assistant: Lovely: that is cherry blossom season.",
  ]);
  expect(printed[1]).toEqual(["add"]);
  const text = String(printed[2]);
  expect(text).toContain("## Working memory");
  expect(text).toContain('"nextTrip":{"city":"Kyoto","month":"April"}');
  // The episode ingest kept says what the message shown below says: it is left out.
  expect(text).not.toContain("## Episodes");
  expect(text).toContain("## Recent messages\nuser: I'm vegetarian");
  expect(Math.ceil(text.length / 4)).toBeLessThanOrEqual(300);
});
