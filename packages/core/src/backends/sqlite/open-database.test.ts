import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { SCHEMA } from "./schema.js";
import { sqliteBackend } from "./sqlite-backend.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file as Engram with schema 1 left it: no conversations, history without a source. */
function schemaOneFile(): string {
  dir = mkdtempSync(join(tmpdir(), "engram-schema-"));
  const path = join(dir, "memory.db");
  const db = new DatabaseSync(path);
  const v1 = SCHEMA.replace(/,\s*source\s+TEXT/, "");
  expect(v1).not.toBe(SCHEMA);
  db.exec(v1);
  db.exec("INSERT INTO meta (key, value) VALUES ('schema_version', '1')");
  db.close();
  return path;
}

it("brings a schema-1 file up to date: conversations work and history keeps its source", async () => {
  const path = schemaOneFile();
  const memory = createMemory({ backend: sqliteBackend({ path }), embedder: createTestEmbedder() });
  const at = { namespace: ["t"], threadId: "chat" };
  await memory.messages.append({ ...at, messages: [{ role: "user", content: "I like tea" }] });
  const { decisions } = await memory.ingest(at);
  const [entry] = await memory.history(decisions[0]!.memoryId!);
  expect(entry?.source).toMatchObject({ threadId: "chat" });
  await memory.close();

  const db = new DatabaseSync(path);
  expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
    value: "3",
  });
  db.close();
});

it("refuses a file written by a newer Engram", async () => {
  const path = schemaOneFile();
  const db = new DatabaseSync(path);
  db.exec("UPDATE meta SET value = '4' WHERE key = 'schema_version'");
  db.close();
  const memory = createMemory({ backend: sqliteBackend({ path }), embedder: createTestEmbedder() });
  await expect(memory.threads.list({ within: ["t"] })).rejects.toMatchObject({
    code: "BACKEND_ERROR",
  });
  await memory.close();
});
