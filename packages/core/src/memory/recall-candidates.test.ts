import { expect, it } from "vitest";
import type { Backend } from "../backends/backend.js";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import { createTestEmbedder } from "../testing/test-embedder.js";
import { createMemory } from "./create-memory.js";
import type { RecallOptions } from "./types.js";

const TOPICS = ["the lake", "the budget", "Priya's visit", "the release", "a new bike"];
const WHEN = ["yesterday", "in May 2023", "last week", "", "on Monday", ""];

// Memories whose ranking fields all differ: times, importance, pinning and uses.
async function seeded(backend: Backend) {
  let clock = Date.UTC(2023, 4, 1);
  const memory = createMemory({
    backend,
    embedder: createTestEmbedder(),
    now: () => clock,
    dedup: false,
  });
  for (let i = 0; i < 240; i++) {
    clock += 600_000 + (i % 7) * 900_000;
    await memory.remember({
      namespace: ["acme", i % 3 === 0 ? "ops" : "dev"],
      content: `We talked about ${TOPICS[i % TOPICS.length]} ${WHEN[i % WHEN.length]} (${i})`,
      kind: i % 10 === 0 ? "fact" : "note",
      importance: (i % 5) / 4,
      pinned: i % 17 === 0,
    });
  }
  // Some uses, so that access counts differ too.
  for (const query of ["the lake", "the budget"])
    await memory.recall({ within: ["acme"], query, limit: 7 });
  return memory;
}

it("ranks hybrid candidates exactly as whole records would, reading records for the page only", async () => {
  const backend = sqliteBackend({ path: ":memory:" });
  const asked: string[][] = [];
  const counting: Backend = {
    ...backend,
    get: (ids, now) => {
      asked.push([...ids]);
      return backend.get(ids, now);
    },
  };
  // Methods are closures over the backend, so the copies share its state.
  const withoutCandidates: Backend = {
    ...backend,
    vectorCandidates: undefined,
    keywordCandidates: undefined,
  };
  const memory = await seeded(counting);
  const reference = createMemory({
    backend: withoutCandidates,
    embedder: createTestEmbedder(),
    now: () => Date.UTC(2023, 6, 1),
  });
  const fast = createMemory({
    backend: counting,
    embedder: createTestEmbedder(),
    now: () => Date.UTC(2023, 6, 1),
  });
  const cases: RecallOptions[] = [
    { within: ["acme"], query: "what about the lake" },
    { within: ["acme"], query: "when did we talk about the budget?", explain: true },
    { within: ["acme"], query: "Priya's visit in May 2023", offset: 5, limit: 5 },
    { namespace: ["acme", "ops"], query: "the release last week", minScore: 0.3 },
    { within: ["acme"], query: "a new bike", kinds: ["fact"], explain: true },
    { within: ["acme"], query: "the lake", neighbours: false, recency: false },
  ];
  for (const options of cases) {
    // The candidates first: contents time weighting reads are not known yet.
    asked.length = 0;
    const got = await fast.recall({ ...options, mode: "hybrid", recordAccess: false });
    const read = asked.flat().length;
    const want = await reference.recall({ ...options, mode: "hybrid", recordAccess: false });
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(0);
    // Whole records: the page, and for a "when" question the contents time weighting reads.
    if (options.query!.startsWith("when")) expect(read).toBeGreaterThan(10);
    else expect(read).toBeLessThanOrEqual((options.offset ?? 0) + (options.limit ?? 10));
  }
  // A second "when" question finds those contents known.
  asked.length = 0;
  await fast.recall({ within: ["acme"], query: "when did we talk about the budget?" });
  expect(asked.flat().length).toBeLessThanOrEqual(10);
  await memory.close();
});
