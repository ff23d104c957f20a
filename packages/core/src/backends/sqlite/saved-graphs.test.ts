import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { GRAPH_MIN_VECTORS } from "../../retrieval/neighbour-index.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

const dir = mkdtempSync(join(tmpdir(), "engram-saved-graphs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOPICS = ["apples", "rockets", "violins", "glaciers", "compilers", "tulips", "harbours"];

it("reopens with its saved graph, and a stale graph never returns a deleted or changed memory", async () => {
  const path = join(dir, "memory.db");
  const graphs = join(dir, "graphs");
  const open = (vectorIndexCache: string | false) =>
    createMemory({
      backend: sqliteBackend({ path, vectorIndexCache }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
  const namespace = ["t"];
  const query = { namespace, query: "apples and rockets 7", mode: "semantic", limit: 10 } as const;
  const first = open(graphs);
  const count = GRAPH_MIN_VECTORS + 300;
  for (let i = 0; i < count; i += 200) {
    await first.remember(
      Array.from({ length: Math.min(200, count - i) }, (_, j) => ({
        namespace,
        content: `${TOPICS[(i + j) % 7]} and ${TOPICS[(i + j) % 5]} ${i + j}`,
      })),
    );
  }
  const before = await first.recall(query);
  await first.close();
  expect(readdirSync(graphs).some((name) => name.endsWith(".json"))).toBe(true);

  // While the first store is closed, another connection deletes the best match and rewrites
  // the second: the saved graph still holds both as they were.
  const other = open(false);
  await other.forget(before[0]!.id);
  await other.update(before[1]!.id, { content: "nothing like the query at all" });
  await other.close();

  const reopened = open(graphs);
  const after = await reopened.recall({ ...query, recordAccess: false });
  const ids = after.map((hit) => hit.id);
  expect(ids).toHaveLength(10);
  expect(ids).not.toContain(before[0]!.id);
  expect(ids).not.toContain(before[1]!.id);
  // The rewritten memory is found by what it says now, scored on its new vector.
  const [changed] = await reopened.recall({
    namespace,
    query: "nothing like the query at all",
    mode: "semantic",
    limit: 1,
    explain: true,
  });
  expect(changed?.id).toBe(before[1]!.id);
  expect(changed!.explain!.semantic).toBeGreaterThan(0.9);
  // Expired, it is gone from searches through the graph too.
  await reopened.update(before[1]!.id, { expiresAt: new Date(Date.now() + 30) });
  await new Promise((resolve) => setTimeout(resolve, 60));
  const [expired] = await reopened.recall({
    namespace,
    query: "nothing like the query at all",
    mode: "semantic",
    limit: 1,
  });
  expect(expired?.id).not.toBe(before[1]!.id);
  await reopened.close();
});
