import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

const FACT =
  "the quarterly planning offsite for the platform group moves from the lakeside lodge " +
  "to the downtown conference centre because the lodge kitchen closes for renovation";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const count = (path: string, sql: string) => {
  const db = new DatabaseSync(path);
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

it("computes the signatures a store written before them lacks, and keeps them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "engram-near-"));
  dirs.push(dir);
  const path = join(dir, "memory.db");
  const embedder = createTestEmbedder();
  const before = createMemory({ backend: sqliteBackend({ path }), embedder });
  const stored = await before.remember([
    { namespace: ["t"], content: FACT },
    { namespace: ["t"], content: "something else entirely, about lunch" },
  ]);
  await before.close();
  // What a file from before signatures looks like.
  const db = new DatabaseSync(path);
  db.exec("DELETE FROM memory_signatures");
  db.close();

  const after = createMemory({ backend: sqliteBackend({ path }), embedder });
  const near = await after.remember({ namespace: ["t"], content: `${FACT} soon`, tags: ["new"] });
  expect(near).toMatchObject({ status: "merged", id: stored[0]!.id });
  await after.close();
  expect(count(path, "SELECT count(*) AS n FROM memory_signatures")).toBe(2);
});

it("deletes a memory's signature with it, whatever deletes it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "engram-near-"));
  dirs.push(dir);
  const path = join(dir, "memory.db");
  const memory = createMemory({ backend: sqliteBackend({ path }), embedder: createTestEmbedder() });
  const [kept, forgotten] = await memory.remember([
    { namespace: ["t"], content: FACT },
    { namespace: ["t"], content: "forget me" },
    { namespace: ["u"], content: "erase my namespace" },
  ]);
  await memory.forget(forgotten!.id);
  await memory.forgetNamespace(["u"]);
  await memory.close();
  expect(count(path, "SELECT count(*) AS n FROM memory_signatures")).toBe(1);
  expect(
    count(
      path,
      `SELECT count(*) AS n FROM memory_signatures s JOIN memories m ON m.rid = s.rid WHERE m.id = '${kept!.id}'`,
    ),
  ).toBe(1);
});
