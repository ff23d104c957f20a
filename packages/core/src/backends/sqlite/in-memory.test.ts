import { expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

it("runs on :memory: with no file, and each open starts empty", async () => {
  const open = () =>
    createMemory({ backend: sqliteBackend({ path: ":memory:" }), embedder: createTestEmbedder() });
  const first = open();
  await first.remember({ namespace: ["t"], content: "only in RAM" });
  const [hit] = await first.recall({ namespace: ["t"], query: "RAM" });
  expect(hit?.content).toBe("only in RAM");
  await first.close();
  const second = open();
  expect((await second.list({ namespace: ["t"] })).memories).toEqual([]);
  await second.close();
});
