import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

const dir = mkdtempSync(join(tmpdir(), "engram-keyword-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("keeps its keyword index current with its own and another connection's writes", async () => {
  const path = join(dir, "memory.db");
  const open = () =>
    createMemory({
      backend: sqliteBackend({ path, vectorIndexCache: false }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
  const a = open();
  const b = open();
  const namespace = ["t"];
  const [apples, pears, plums] = await a.remember([
    { namespace, content: "apples from the orchard" },
    { namespace, content: "pears and more apples", kind: "episode" },
    { namespace, content: "plums in the basket" },
  ]);
  const keyword = async (query: string, kinds?: string[]) =>
    (await a.recall({ namespace, query, mode: "keyword", kinds, recordAccess: false })).map(
      (hit) => hit.id,
    );
  expect(new Set(await keyword("apples"))).toEqual(new Set([apples!.id, pears!.id]));
  expect(await keyword("apples", ["episode"])).toEqual([pears!.id]);

  // Another connection rewrites one memory, forgets another and adds a third.
  await b.update(apples!.id, { content: "zebras at the zoo" });
  await b.forget(pears!.id);
  const { id: cherries } = await b.remember({ namespace, content: "cherries and apples" });
  expect(await keyword("apples")).toEqual([cherries]);
  expect(await keyword("zebras")).toEqual([apples!.id]);
  expect(await keyword("apples", ["episode"])).toEqual([]);

  // Its own writes, patched in: a kind change and an expiry.
  await a.update(plums!.id, { kind: "episode" });
  expect(await keyword("plums", ["episode"])).toEqual([plums!.id]);
  await a.update(cherries, { expiresAt: new Date(Date.now() + 30) });
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(await keyword("apples")).toEqual([]);
  await a.close();
  await b.close();
});
