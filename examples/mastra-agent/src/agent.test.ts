import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const cwd = mkdtempSync(join(tmpdir(), "engram-mastra-agent-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** One turn of the example, in a fresh process (as a user coming back would), offline. */
function turn(user: string, thread: string, message: string): string {
  const { REDIS_URL: _redis, ...env } = process.env;
  return execFileSync(
    process.execPath,
    [join(import.meta.dirname, "agent.ts"), "--user", user, "--thread", thread, message],
    { cwd, env, encoding: "utf8" },
  );
}

it("recalls in a new thread what the user said in another, and keeps working memory", () => {
  expect(turn("ada", "ada-monday", "My cat is called Pixel, she is a tabby.")).toContain(
    "assistant:",
  );
  expect(turn("ada", "ada-monday", "Remember that my next trip is Kyoto in April")).toContain(
    "- my next trip is Kyoto in April",
  );
  const tuesday = turn("ada", "ada-tuesday", "What is the name of my cat?");
  expect(tuesday).toContain("From what I remember: My cat is called Pixel, she is a tabby.");
  expect(turn("ada", "ada-wednesday", "When is my next trip?")).toContain(
    "From what I remember: my next trip is Kyoto in April",
  );
});

it("keeps another user's memory apart", () => {
  const bob = turn("bob", "bob-monday", "What is the name of my cat?");
  expect(bob).toContain("assistant: I don't know yet.");
  expect(bob).not.toContain("Kyoto");
});
