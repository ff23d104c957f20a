import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

const dir = mkdtempSync(join(tmpdir(), "engram-candidates-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("ranks hybrid candidates by current uses and importance, whichever connection changed them", async () => {
  const path = join(dir, "memory.db");
  const open = () =>
    createMemory({
      backend: sqliteBackend({ path }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
  const a = open();
  const b = open();
  const { id } = await a.remember({ namespace: ["t"], content: "apples and pears", importance: 0 });
  await a.remember({ namespace: ["t"], content: "bananas and kiwis" });
  const signals = async () => {
    const hits = await a.recall({
      namespace: ["t"],
      query: "apples",
      mode: "hybrid",
      explain: true,
      recordAccess: false,
    });
    return hits.find((hit) => hit.id === id)!.explain!;
  };
  const before = await signals();
  expect(before.access).toBe(0);

  // A's own recall counts a use: its next ranking sees it.
  await a.recall({ namespace: ["t"], query: "apples", limit: 1 });
  const once = await signals();
  expect(once.access).toBeGreaterThan(0);

  // Another connection's uses and writes are seen too: its uses once it writes them (they are
  // batched, see pending-uses.test.ts).
  await b.recall({ namespace: ["t"], query: "apples", limit: 1 });
  await vi.waitFor(async () => expect((await signals()).access).toBeGreaterThan(once.access!), {
    timeout: 2000,
  });
  await b.update(id, { importance: 1 });
  expect((await signals()).importance).toBe(1);
  await a.update(id, { importance: 0.5 });
  expect((await signals()).importance).toBe(0.5);
  await a.close();
  await b.close();
});
