import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

const MARKER = "<!-- This block is run by test/readme.int.test.ts. -->";

it("runs the README's Memory setup as written, with an offline model and embedder", async () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
  expect(readme).toContain(MARKER);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(MARKER)))![1]!;
  // The example imports the published names; here they are this checkout's source, and the
  // `embedder` and `model` it leaves to the reader are the tests' offline ones.
  const here = (path: string) =>
    JSON.stringify(pathToFileURL(join(import.meta.dirname, path)).href);
  const code = [
    `import { testEmbeddingModel } from ${here("embedding-model.ts")};`,
    `import { scriptedModel } from ${here("mock-model.ts")};`,
    "const embedder = testEmbeddingModel() as never;",
    'const { model, prompts } = scriptedModel(() => ({ text: "Noted." }));',
    "(globalThis as { readmePrompts?: string[] }).readmePrompts = prompts;",
    block
      .replaceAll('from "@engram/mastra"', `from ${here("../src/index.ts")}`)
      .replace('path: ".engram/memory.db"', 'path: ":memory:"'),
  ].join("\n");
  const dir = mkdtempSync(join(import.meta.dirname, ".readme-"));
  try {
    const file = join(dir, "example.ts");
    writeFileSync(file, code);
    await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const prompts = (globalThis as { readmePrompts?: string[] }).readmePrompts!;
  expect(prompts).toHaveLength(2);
  expect(prompts[1]).toContain("My cat is called Pixel.");
});
