import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import type { MemoryRecord } from "../../record/memory-record.js";
import { namespaceSnapshots } from "./namespace-snapshots.js";

const dir = mkdtempSync(join(tmpdir(), "engram-namespace-snapshots-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(n: number): MemoryRecord {
  return {
    id: `m-${n}`,
    namespace: ["t"],
    content: `memory ${n} with "quotes", a \\ backslash and a line\nbreak`,
    kind: "fact",
    key: n % 2 === 0 ? `key-${n}` : undefined,
    metadata: { n, nested: { list: [n, "x"] } },
    tags: ["a", `t${n % 3}`],
    importance: 0.5,
    pinned: n % 5 === 0,
    createdAt: new Date(1_700_000_000_000 + n),
    updatedAt: new Date(1_700_000_000_000 + n),
    lastAccessedAt: n % 4 === 0 ? new Date(1_700_000_100_000 + n) : undefined,
    accessCount: n % 7,
    expiresAt: n % 6 === 0 ? new Date(1_800_000_000_000 + n) : undefined,
    contentHash: `hash-${n}`,
    embedding: { model: "test", dimensions: 8 },
  };
}

// A namespace of 100k memories saved at once held the event loop for about a second: the
// recall that came next waited for it.
it("saves a large namespace a slice at a time, and loads it back as it was", async () => {
  const snapshots = namespaceSnapshots(dir);
  const records = Array.from({ length: 5000 }, (_, n) => record(n));
  const vectors = new Map(
    records.map((memory, n) => [memory.id, Float32Array.from({ length: 8 }, (_, d) => n + d / 8)]),
  );
  snapshots.save("t", "v1", { records, vectors });
  // Turns of the event loop taken while the save is written.
  let turns = 0;
  let spinning = true;
  const spin = () => {
    if (!spinning) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  await snapshots.flush();
  spinning = false;
  expect(turns).toBeGreaterThan(3);

  const loaded = namespaceSnapshots(dir).load("t", "v1");
  expect(loaded?.records).toEqual(records);
  expect(loaded?.vectors).toEqual(vectors);
  expect(namespaceSnapshots(dir).load("t", "v2")).toBeUndefined();

  // A later version replaces the files of the earlier one.
  snapshots.save("t", "v2", { records: records.slice(0, 3000), vectors });
  await snapshots.flush();
  expect(namespaceSnapshots(dir).load("t", "v2")?.records).toHaveLength(3000);
  expect(namespaceSnapshots(dir).load("t", "v1")).toBeUndefined();
  expect(readdirSync(dir).filter((name) => name.endsWith(".f32"))).toHaveLength(1);
  expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toHaveLength(0);
});
