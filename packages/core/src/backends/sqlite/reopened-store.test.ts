import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import type { RememberInput } from "../../memory/types.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { sqliteBackend } from "./sqlite-backend.js";

// A distinct vector per memory, with exact zeros (bytes 0 in the stored blob) in every one.
function vectorOf(n: number): number[] {
  let seed = n * 2654435761 + 1;
  return Array.from({ length: 256 }, (_, i) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return i % 16 === 0 ? 0 : seed / 2 ** 32 - 0.5;
  });
}

const dir = mkdtempSync(join(tmpdir(), "engram-reopened-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A store in the test directory holding `rounds` batches of 100 memories per namespace, written
 * to the namespaces in turn (so every chunk of rows mixes them); the 3,000th to 3,199th are then
 * forgotten, a gap in the row ids. `n` counts the memories written before.
 */
async function writtenStore(
  name: string,
  namespaces: string[][],
  rounds: number,
  memory: (n: number, namespace: string[], i: number) => Omit<RememberInput, "namespace">,
) {
  const path = join(dir, name);
  const open = () =>
    createMemory({
      backend: sqliteBackend({ path, vectorIndexCache: false }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
  const writer = open();
  const ids: string[] = [];
  for (let round = 0; round < rounds; round++)
    for (const namespace of namespaces) {
      const stored = await writer.remember(
        Array.from({ length: 100 }, (_, i) => ({
          namespace,
          ...memory(ids.length + i, namespace, round * 100 + i),
        })),
      );
      ids.push(...stored.map((each) => each.id));
    }
  const gone = ids.slice(3000, 3200);
  for (const id of gone) await writer.forget(id);
  await writer.close();
  return { open, ids, gone };
}

// A reopened store reads its vectors a chunk of rows at a time, each chunk's vectors as one
// blob. Five namespaces written in turn put every namespace in every chunk, and each stays
// under the graph's threshold, so recall scans them exactly: a vector read into the wrong row
// would change which memory is nearest.
it("reads back every stored vector with its own memory when reopened, across chunks and gaps", async () => {
  const namespaces = ["a", "b", "c", "d", "e"].map((name) => ["t", name]);
  // A gap in the row ids: the first chunk (4,096 rows) then ends at the 4,296th memory.
  const { open, ids, gone } = await writtenStore("memory.db", namespaces, 18, (n, ns, i) => ({
    content: `${ns[1]} note ${i} about topic ${(Math.floor(i / 100) * 7 + (i % 100)) % 97}`,
    kind: i % 10 === 0 ? "fact" : "note",
    vector: vectorOf(n),
  }));

  const reader = open();
  const sample = [0, 1, 2999, 3200, 4095, 4096, 4295, 4296, 4297, 8391, 8392, 8999].map(
    (at) => ids[at]!,
  );
  const vectors = await reader.vectors(sample);
  for (const [at, id] of sample.entries()) {
    const memory = await reader.get(id);
    const [nearest] = await reader.recall({
      namespace: memory!.namespace,
      vector: [...vectors[at]!.vector],
      mode: "semantic",
      limit: 1,
      explain: true,
      ranking: false,
      recordAccess: false,
    });
    expect(nearest?.id).toBe(id);
    expect(nearest!.explain!.semantic).toBeCloseTo(1, 5);
  }
  // Forgotten memories are not read back; kinds come with the vectors.
  const [forgotten] = await reader.vectors([gone[0]!]);
  expect(forgotten).toBeUndefined();
  const facts = await reader.recall({
    namespace: ["t", "a"],
    query: "a note about topic 3",
    mode: "semantic",
    kinds: ["fact"],
    limit: 50,
    recordAccess: false,
  });
  expect(facts.length).toBeGreaterThan(0);
  expect(facts.every((memory) => memory.kind === "fact")).toBe(true);
  await reader.close();
});

// A first keyword search reads every memory's terms and ranking fields a chunk of rows at a
// time too (see `sqliteKeywordCache`): each memory must keep its own words, kind and fields.
it("finds every memory by its own words when reopened, across chunks and gaps", async () => {
  const namespaces = ["a", "b"].map((name) => ["k", name]);
  const { open, ids } = await writtenStore("keywords.db", namespaces, 45, (n, ns, i) => ({
    content: `${ns[1]} entry w${n}z about topic ${(i % 100) % 13}`,
    kind: i % 10 === 0 ? "fact" : "note",
    importance: (n % 7) / 7,
    vector: vectorOf(n),
  }));

  const reader = open();
  // Every memory, so that a row read into its neighbour's place anywhere in a chunk shows.
  for (const [at, id] of ids.entries()) {
    if (at >= 3000 && at < 3200) continue;
    const [found] = await reader.recall({
      namespace: namespaces[Math.floor(at / 100) % 2]!,
      query: `w${at}z`,
      mode: "keyword",
      limit: 1,
      explain: true,
      recordAccess: false,
    });
    expect(found?.id).toBe(id);
    expect(found!.explain!.importance).toBe((at % 7) / 7);
  }
  const [forgotten] = await reader.recall({
    namespace: ["k", "a"],
    query: "w3000z",
    mode: "keyword",
    recordAccess: false,
  });
  expect(forgotten).toBeUndefined();
  const facts = await reader.recall({
    namespace: ["k", "b"],
    query: "entry about topic 0",
    mode: "keyword",
    kinds: ["fact"],
    limit: 50,
    recordAccess: false,
  });
  expect(facts.length).toBe(50);
  expect(facts.every((memory) => memory.kind === "fact")).toBe(true);
  await reader.close();
});
