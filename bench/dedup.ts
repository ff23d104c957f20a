// The cost of duplicate detection at ingest: 10k memories into one namespace, with dedup off,
// with exact dedup only (content hash), and with near-duplicate detection (the default).
// Run: pnpm --filter @engram/bench bench:dedup   (or: node bench/dedup.ts)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, type MemoryOptions, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { sentences } from "./lib/corpus.ts";

const SIZE = Number(process.env.SIZE ?? 10_000);
const BATCH = 100;
const texts = sentences(SIZE, 3);
// Every 20th memory repeats an earlier one, so the dedup paths have real work to do.
for (let i = 20; i < texts.length; i += 20) texts[i] = texts[i - 7]!;

async function ingest(dedup: MemoryOptions["dedup"]): Promise<{ seconds: number; stored: number }> {
  const dir = mkdtempSync(join(tmpdir(), "engram-dedup-"));
  const memory = createMemory({
    backend: sqliteBackend({ path: join(dir, "memory.db") }),
    embedder: createTestEmbedder({ dimensions: 384 }),
    dedup,
  });
  const started = performance.now();
  for (let i = 0; i < texts.length; i += BATCH) {
    await memory.remember(
      texts.slice(i, i + BATCH).map((content) => ({ namespace: ["acme", "users", "u1"], content })),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  let stored = 0;
  let cursor: string | undefined;
  do {
    const page = await memory.list({
      namespace: ["acme", "users", "u1"],
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    stored += page.memories.length;
    cursor = page.nextCursor;
  } while (cursor);
  await memory.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, stored };
}

const off = await ingest(false);
const exact = await ingest({ threshold: 1 });
const near = await ingest({});
console.log(
  `\nIngest ${SIZE.toLocaleString("en")} memories (384-d, batches of ${BATCH}) into one namespace, embedded SQLite\n`,
);
console.log("| dedup | seconds | memories/s | stored | cost vs off |\n|---|---|---|---|---|");
for (const [name, run] of [
  ["off", off],
  ["exact (content hash)", exact],
  ["near (cosine >= 0.95, default)", near],
] as const) {
  console.log(
    `| ${name} | ${run.seconds.toFixed(2)} | ${Math.round(SIZE / run.seconds).toLocaleString("en")} | ${run.stored.toLocaleString("en")} | ${(run.seconds / off.seconds).toFixed(2)}x |`,
  );
}
