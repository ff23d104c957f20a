import { expect, it } from "vitest";
import type { Backend } from "../backends/backend.js";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import { createTestEmbedder } from "../testing/test-embedder.js";
import { createMemory } from "./create-memory.js";

const seed = async (backend: Backend) => {
  let clock = 1_000;
  const memory = createMemory({ backend, embedder: createTestEmbedder(), now: () => clock });
  await memory.remember([
    { namespace: ["acme", "ops"], content: "deploys on Mondays" },
    { namespace: ["acme", "ops"], content: "short standups", kind: "preference" },
    { namespace: ["acme"], content: "ships weekly" },
    { namespace: ["acme", "tmp"], content: "gone soon", ttlMs: 10 },
    { namespace: ["globex"], content: "launch in May" },
  ]);
  clock = 2_000; // the ttl memory has expired
  return memory;
};

const expected = [
  { namespace: ["acme"], total: 1, kinds: { fact: 1 } },
  { namespace: ["acme", "ops"], total: 2, kinds: { fact: 1, preference: 1 } },
];

it("counts live memories by namespace and kind within a scope", async () => {
  const memory = await seed(sqliteBackend({ path: ":memory:" }));
  expect(await memory.countNamespaces({ within: ["acme"] })).toEqual(expected);
  expect(await memory.countNamespaces({ namespace: ["acme", "ops"] })).toEqual([expected[1]]);
  await expect(memory.countNamespaces({})).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  await memory.close();
});

it("counts page by page on a backend without the aggregate", async () => {
  const backend = sqliteBackend({ path: ":memory:" });
  const plain: Backend = { ...backend, countNamespaces: undefined };
  // Methods are closures over the backend, so the copy shares its state.
  const memory = await seed(plain);
  expect(await memory.countNamespaces({ within: ["acme"] })).toEqual(expected);
  await memory.close();
});
