import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDirectory = join(import.meta.dirname, "..");
const readme = readFileSync(join(packageDirectory, "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

// Inside the package, so the examples import @engram/langchain and its peers as a user would.
const scripts = mkdtempSync(join(packageDirectory, ".readme-"));
afterAll(() => rmSync(scripts, { recursive: true, force: true }));

async function runExample(code: string, index: number): Promise<string> {
  const file = join(scripts, `example-${index}.ts`);
  writeFileSync(file, code);
  // A fresh working directory each, so ./.engram starts empty.
  const cwd = mkdtempSync(join(tmpdir(), "engram-langchain-readme-"));
  try {
    const { stdout } = await run(process.execPath, [file], { cwd });
    return stdout;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

describe("README examples", () => {
  it("has the four examples, and they typecheck", { timeout: 120_000 }, async () => {
    expect(examples).toHaveLength(4);
    examples.forEach((code, index) => {
      writeFileSync(join(scripts, `example-${index}.ts`), code);
    });
    writeFileSync(
      join(scripts, "tsconfig.json"),
      JSON.stringify({
        extends: "../../../tsconfig.base.json",
        compilerOptions: { noEmit: true },
        include: ["*.ts"],
      }),
    );
    const tsc = join(packageDirectory, "node_modules/typescript/bin/tsc");
    await expect(run(process.execPath, [tsc, "-p", scripts])).resolves.toBeDefined();
  });

  it("usage: the agent recalls what it stored and keeps the thread", {
    timeout: 120_000,
  }, async () => {
    const output = await runExample(examples[0]!, 0);
    expect(output).toContain("How about a mushroom risotto?");
    expect(output).toMatch(/<recalled_memories>[\s\S]*- Alice is vegetarian \[[0-9a-f-]+\]/);
    expect(output).toContain("user assistant tool assistant user assistant");
  });

  it("the tools on their own", { timeout: 120_000 }, async () => {
    const output = await runExample(examples[1]!, 1);
    const [created, found] = output
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(created).toMatchObject({ status: "created", kind: "fact" });
    expect(found[0]).toMatchObject({ id: created.id, content: "Bob's standup is at 9:30" });
  });

  it("the retriever in a chain", { timeout: 120_000 }, async () => {
    const output = await runExample(examples[2]!, 2);
    expect(output).toContain("Within 30 days.");
    expect(output).toContain("Refunds are accepted within 30 days");
  });

  it("chat history", { timeout: 120_000 }, async () => {
    const output = await runExample(examples[3]!, 3);
    expect(output).toContain("[ 'human', 'ai', 'tool', 'ai' ]");
  });
});
