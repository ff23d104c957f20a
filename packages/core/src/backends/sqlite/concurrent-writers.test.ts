import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { afterAll, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

// The writers are separate Node processes running the built package, as two agents would.
const dist = join(import.meta.dirname, "../../../dist");
const dir = mkdtempSync(join(tmpdir(), "engram-concurrent-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WRITER = `
const { createMemory, sqliteBackend } = await import(${JSON.stringify(pathToFileURL(join(dist, "index.js")).href)});
const { createTestEmbedder } = await import(${JSON.stringify(pathToFileURL(join(dist, "testing/test-embedder.js")).href)});
const [path, name] = process.argv.slice(1);
const memory = createMemory({ backend: sqliteBackend({ path }), embedder: createTestEmbedder() });
for (let i = 0; i < 150; i++) {
  await memory.remember({ namespace: ["crew", name], content: name + " finding " + i, metadata: { i } });
  if (i % 2 === 0) await memory.remember({ namespace: ["crew", "shared"], key: "status", content: name + " status " + i });
}
await memory.remember(Array.from({ length: 50 }, (_, i) => ({ namespace: ["crew", name], content: name + " batch " + i })));
await memory.close();
`;

function writer(path: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER, path, name], {
      stdio: "inherit",
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? -1));
  });
}

it("lets two processes write one file at once without losing or corrupting anything", async () => {
  expect(existsSync(join(dist, "index.js")), "build @engram/core first (pnpm build)").toBe(true);
  const path = join(dir, "memory.db");
  const codes = await Promise.all([writer(path, "alpha"), writer(path, "beta")]);
  expect(codes).toEqual([0, 0]);

  const db = new DatabaseSync(path);
  expect(db.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
  db.close();

  const memory = createMemory({ backend: sqliteBackend({ path }), embedder: createTestEmbedder() });
  for (const name of ["alpha", "beta"]) {
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await memory.list({
        namespace: ["crew", name],
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const m of page.memories) ids.add(m.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids.size).toBe(200);
  }
  const shared = await memory.list({ namespace: ["crew", "shared"] });
  expect(shared.memories).toHaveLength(1);
  const [hit] = await memory.recall({
    namespace: ["crew", "beta"],
    query: "beta finding 149",
    mode: "keyword",
  });
  expect(hit?.content).toBe("beta finding 149");
  await memory.close();
});
