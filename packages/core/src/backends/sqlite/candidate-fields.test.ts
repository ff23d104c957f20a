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

it("counts each of this connection's uses once, written by the timer or with a write", async () => {
  const memory = createMemory({
    backend: sqliteBackend({ path: join(dir, "uses.db") }),
    embedder: createTestEmbedder(),
    dedup: false,
  });
  const { id } = await memory.remember({ namespace: ["t"], content: "apples and pears" });
  await memory.remember({ namespace: ["t"], content: "bananas and kiwis" });
  const access = async () => {
    const hits = await memory.recall({
      namespace: ["t"],
      query: "apples",
      mode: "hybrid",
      explain: true,
      recordAccess: false,
    });
    return hits.find((hit) => hit.id === id)!.explain!.access;
  };
  const expected = (uses: number) => Math.log1p(uses) / Math.log1p(100);
  // The first keyword search scans every row: its fields are held from then on.
  expect(await access()).toBe(0);
  for (let i = 0; i < 3; i++) await memory.recall({ namespace: ["t"], query: "apples", limit: 1 });
  expect(await access()).toBeCloseTo(expected(3), 12);
  // Written by the timer (pending-uses.ts): held fields and file agree.
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(await access()).toBeCloseTo(expected(3), 12);
  expect((await memory.get(id))!.accessCount).toBe(3);
  // Written inside the next write's transaction.
  await memory.recall({ namespace: ["t"], query: "apples", limit: 1 });
  await memory.remember({ namespace: ["t"], content: "plums" });
  expect(await access()).toBeCloseTo(expected(4), 12);
  expect((await memory.get(id))!.accessCount).toBe(4);
  await memory.close();
});
