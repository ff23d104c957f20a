import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

const dir = mkdtempSync(join(tmpdir(), "engram-shared-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("sees another connection's changes to vectors, and its recalls change nothing it caches", async () => {
  const path = join(dir, "memory.db");
  const open = () =>
    createMemory({
      backend: sqliteBackend({ path }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
  const a = open();
  const b = open();
  const { id } = await a.remember({ namespace: ["t"], content: "apples and pears" });
  await a.remember({ namespace: ["t"], content: "bananas and kiwis" });
  const top = async () =>
    (await a.recall({ namespace: ["t"], query: "cherries plums", mode: "semantic", limit: 1 }))[0];
  expect(
    (await a.recall({ namespace: ["t"], query: "apples", mode: "semantic", limit: 1 }))[0]?.id,
  ).toBe(id);

  // B's recall only counts an access: A's answers stay the same.
  await b.recall({ namespace: ["t"], query: "apples" });
  expect(
    (await a.recall({ namespace: ["t"], query: "apples", mode: "semantic", limit: 1 }))[0]?.id,
  ).toBe(id);

  // B rewrites the memory: A's cached vector is stale and must not be used. The new content
  // scores about 0.95 against its own text; the stale vector ("apples and pears") about 0.2.
  await b.update(id, { content: "cherries and plums" });
  const [hit] = await a.recall({
    namespace: ["t"],
    query: "cherries and plums",
    mode: "semantic",
    limit: 1,
    explain: true,
  });
  expect(hit?.id).toBe(id);
  expect(hit!.explain!.semantic).toBeGreaterThan(0.9);
  await b.forget(id);
  expect((await top())?.id).not.toBe(id);
  await a.close();
  await b.close();
});
