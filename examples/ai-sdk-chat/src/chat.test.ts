import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const cwd = mkdtempSync(join(tmpdir(), "engram-ai-sdk-chat-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs the chat in a fresh process with these lines on stdin, offline. */
function chat(lines: string[], ...args: string[]): string {
  const { OPENAI_API_KEY: _key, REDIS_URL: _redis, ...env } = process.env;
  return execFileSync(process.execPath, [join(import.meta.dirname, "chat.ts"), ...args], {
    cwd,
    env,
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
  });
}

it("remembers through the tools in one process and recalls through the middleware in the next", () => {
  const first = chat(["Remember that I prefer meetings before noon", "When do I like meetings?"]);
  expect(first).toContain("Noted: I prefer meetings before noon");
  expect(first).toContain("From what I remember: I prefer meetings before noon.");

  const second = chat(["When should we meet?"]);
  expect(second).toContain("From what I remember: I prefer meetings before noon.");
  expect(second).toContain("(1 memory recalled)");
});

it("keeps each user's memories apart", () => {
  expect(chat(["When should we meet?"], "--user", "bob")).toContain("I don't know yet");
});

it("appends every turn to the thread, tool calls included", () => {
  const history = chat(["/history"]);
  expect(history).toMatch(/^user: "Remember that I prefer meetings before noon"$/m);
  expect(history).toMatch(/^assistant: \[\{"type":"tool-call".*"toolName":"remember"/m);
  expect(history).toMatch(/^tool: \[\{"type":"tool-result"/m);
  expect(history).toMatch(/^assistant: "From what I remember: I prefer meetings before noon\."$/m);
});

it("forgets on request", () => {
  expect(chat(["Forget that I prefer meetings before noon", "/memories"])).toContain(
    "Forgotten (1).",
  );
  expect(chat(["When should we meet?"])).toContain("I don't know yet");
});
