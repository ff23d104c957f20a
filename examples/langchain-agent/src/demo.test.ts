import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, sqliteBackend } from "@engram/core";
import { afterAll, expect, it } from "vitest";

const cwd = mkdtempSync(join(tmpdir(), "engram-langchain-agent-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

// Each turn in a process of its own, on the same ./.engram store, as after a restart.
function turn(user: string, thread: string, text: string): string {
  const output = execFileSync(
    process.execPath,
    [join(import.meta.dirname, "turn.ts"), user, thread, text],
    { cwd, encoding: "utf8", env: { ...process.env, REDIS_URL: "" } },
  );
  return output.trim().split("\n").at(-1)!;
}

it("remembers through the tools and the store, and recalls in a later process", async () => {
  expect(turn("alice", "monday", "Remember that I am allergic to peanuts.")).toBe(
    "assistant> I'll remember that.",
  );
  expect(turn("alice", "monday", "I live in Lisbon.")).toBe(
    "assistant> I've saved where you live.",
  );
  const answer = turn("alice", "tuesday", "Can you suggest somewhere for dinner?");
  expect(answer).toMatch(/^assistant> Here is what I know about you: /);
  expect(answer).toContain("The user is allergic to peanuts");
  expect(answer).toContain("The user lives in Lisbon");
  expect(turn("bob", "tuesday", "Can you suggest somewhere for dinner?")).toBe(
    "assistant> I don't know anything about you yet.",
  );

  // One memory behind all three paths: the tool's memory, the store's item, the stored threads.
  const memory = createMemory({ backend: sqliteBackend({ path: join(cwd, ".engram/memory.db") }) });
  try {
    const alice = await memory.list({ within: ["acme", "users", "alice"] });
    expect(alice.memories.map((item) => [item.namespace.join("/"), item.content]).sort()).toEqual([
      ["acme/users/alice", "The user is allergic to peanuts"],
      ["acme/users/alice/profile", "The user lives in Lisbon"],
    ]);
    const monday = await memory.messages.list({
      namespace: ["acme", "users", "alice"],
      threadId: "monday",
    });
    expect(monday.messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
      "assistant",
      "tool",
      "assistant",
    ]);
  } finally {
    await memory.close();
  }
});
