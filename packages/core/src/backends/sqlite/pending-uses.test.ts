import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

const dir = mkdtempSync(join(tmpdir(), "engram-uses-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opener(path: string) {
  return () =>
    createMemory({
      backend: sqliteBackend({ path }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
}

// Recall's uses are batched: this process sees them at once, the file gets them within 100 ms,
// before this process's next write, or on close.
it("shows a recall's uses at once to its own process, and writes them on close", async () => {
  const open = opener(join(dir, "close.db"));
  const a = open();
  const { id } = await a.remember({ namespace: ["t"], content: "apples and pears" });
  for (let i = 0; i < 3; i++) await a.recall({ namespace: ["t"], query: "apples" });
  const seen = await a.get(id);
  expect(seen?.accessCount).toBe(3);
  expect(seen?.lastAccessedAt).toBeInstanceOf(Date);
  await a.close();

  const reopened = open();
  expect((await reopened.get(id))?.accessCount).toBe(3);
  await reopened.close();
});

it("writes held uses before the process's next write, so other connections see both", async () => {
  const open = opener(join(dir, "write.db"));
  const a = open();
  const b = open();
  const { id } = await a.remember({ namespace: ["t"], content: "apples and pears" });
  await a.recall({ namespace: ["t"], query: "apples" });
  await a.update(id, { importance: 0.9 });
  const other = await b.get(id);
  expect(other?.importance).toBe(0.9);
  expect(other?.accessCount).toBe(1);
  await a.close();
  await b.close();
});

it("writes held uses within a moment when nothing else writes, and never twice", async () => {
  const open = opener(join(dir, "timer.db"));
  const a = open();
  const b = open();
  const { id } = await a.remember({ namespace: ["t"], content: "apples and pears" });
  await a.recall({ namespace: ["t"], query: "apples" });
  await b.recall({ namespace: ["t"], query: "apples" });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await a.get(id))?.accessCount).toBe(2);
  expect((await b.get(id))?.accessCount).toBe(2);
  await a.close();
  await b.close();
  const c = open();
  expect((await c.get(id))?.accessCount).toBe(2);
  await c.close();
});

it("forgets a memory's held uses with the memory", async () => {
  const open = opener(join(dir, "forget.db"));
  const a = open();
  const { id } = await a.remember({ namespace: ["t"], content: "apples and pears" });
  await a.recall({ namespace: ["t"], query: "apples" });
  await a.forget(id);
  expect(await a.get(id)).toBeUndefined();
  await a.close();
});

it("closes even when the last uses cannot be written, and says so", async () => {
  const path = join(dir, "locked.db");
  const a = createMemory({
    backend: sqliteBackend({ path, busyTimeoutMs: 50 }),
    embedder: createTestEmbedder(),
    dedup: false,
  });
  await a.remember({ namespace: ["t"], content: "apples and pears" });
  await a.recall({ namespace: ["t"], query: "apples" });
  // Another connection holds the file's write lock past a's busy timeout.
  const { DatabaseSync } = await import("node:sqlite");
  const other = new DatabaseSync(path);
  other.exec("BEGIN IMMEDIATE");
  const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  try {
    await a.close();
    expect(warn.mock.calls.flat().join(" ")).toMatch(
      /last uses of recalled memories were not written/,
    );
  } finally {
    warn.mockRestore();
    other.exec("ROLLBACK");
    other.close();
  }
  await expect(a.recall({ namespace: ["t"], query: "apples" })).rejects.toThrow();
});
