// @engram/mastra: semantic-recall queries through EngramVector against Mastra's LibSQLVector.
// Run: pnpm --filter @engram/bench bench:mastra [-- --sizes 10000,100000] [-- --peer-sizes 1000]
//      [-- --backend redis] [-- --json]
//
// Each store gets the same random unit vectors, tagged with one of 10 resources as Mastra's
// memory tags message vectors, and answers the query Mastra's resource-scoped semantic recall
// makes: topK 10 with a `resource_id` filter. Ingest is timed (upserts of 500) and printed
// too. LibSQLVector's ingest is slow (on a shared 2-core machine 10k took over 15 minutes), so
// it runs at `--peer-sizes`, smaller by default: the table says which size each row is.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createMemory, redisBackend, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { EngramVector } from "@engram/mastra";
import type { MastraVector } from "@mastra/core/vector";
import { LibSQLVector } from "@mastra/libsql";
import { percentile, random } from "./lib/corpus.ts";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string", default: "sqlite" },
    sizes: { type: "string", default: "10000,100000" },
    "peer-sizes": { type: "string", default: "1000" },
    dimensions: { type: "string", default: "256" },
    queries: { type: "string", default: "200" },
    json: { type: "boolean", default: false },
  },
});
const DIMENSIONS = Number(args.dimensions);
const QUERIES = Number(args.queries);
const RESOURCES = 10;
const sizes = (text: string) => text.split(",").filter(Boolean).map(Number);

function unitVectors(count: number, seed: number): number[][] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const vector = Array.from({ length: DIMENSIONS }, () => next() * 2 - 1);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

interface Opened {
  vector: MastraVector;
  cleanup(): Promise<void>;
}

async function openEngram(): Promise<Opened> {
  // The store embeds nothing here (Mastra hands it vectors); the embedder only fixes the space.
  const embedder = createTestEmbedder({ dimensions: DIMENSIONS });
  if (args.backend === "redis") {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error("--backend redis needs REDIS_URL");
    const backend = redisBackend(
      { url },
      { prefix: `bench-mastra-${randomUUID().slice(0, 8)}`, log: () => undefined },
    );
    const memory = createMemory({ backend, embedder, dedup: false });
    return {
      vector: new EngramVector({ memory }),
      cleanup: async () => {
        await backend.drop();
        await memory.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-mastra-"));
  const memory = createMemory({
    backend: sqliteBackend({ path: join(dir, "memory.db") }),
    embedder,
    dedup: false,
  });
  return {
    vector: new EngramVector({ memory }),
    cleanup: async () => {
      await memory.close();
      rmSync(dir, { recursive: true });
    },
  };
}

async function openLibSQL(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-libsql-"));
  const vector = new LibSQLVector({ id: "libsql", url: `file:${join(dir, "vectors.db")}` });
  return {
    vector,
    cleanup: async () => {
      await (vector as unknown as { close?: () => Promise<void> }).close?.();
      rmSync(dir, { recursive: true });
    },
  };
}

interface Row {
  store: string;
  vectors: number;
  ingestSeconds: number;
  p50: number;
  p95: number;
}

async function run(store: string, open: () => Promise<Opened>, size: number): Promise<Row> {
  const { vector, cleanup } = await open();
  try {
    await vector.createIndex({ indexName: "messages", dimension: DIMENSIONS, metric: "cosine" });
    const vectors = unitVectors(size, 1);
    const started = performance.now();
    for (let start = 0; start < size; start += 500) {
      const slice = vectors.slice(start, start + 500);
      await vector.upsert({
        indexName: "messages",
        vectors: slice,
        ids: slice.map((_, i) => `m${start + i}`),
        metadata: slice.map((_, i) => ({
          message_id: `m${start + i}`,
          thread_id: `t${(start + i) % 100}`,
          resource_id: `r${(start + i) % RESOURCES}`,
        })),
      });
    }
    const ingestSeconds = (performance.now() - started) / 1000;
    const queries = unitVectors(QUERIES + 10, 2);
    const times: number[] = [];
    for (const [i, queryVector] of queries.entries()) {
      const began = performance.now();
      await vector.query({
        indexName: "messages",
        queryVector,
        topK: 10,
        filter: { resource_id: `r${i % RESOURCES}` },
      });
      if (i >= 10) times.push(performance.now() - began); // the first 10 warm up
    }
    return {
      store,
      vectors: size,
      ingestSeconds,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
    };
  } finally {
    await cleanup();
  }
}

const rows: Row[] = [];
const engramName = `EngramVector (${args.backend})`;
for (const size of sizes(args.sizes)) rows.push(await run(engramName, openEngram, size));
for (const size of sizes(args["peer-sizes"]))
  rows.push(await run("LibSQLVector", openLibSQL, size));

if (args.json) {
  console.log(JSON.stringify({ bench: "mastra", dimensions: DIMENSIONS, queries: QUERIES, rows }));
} else {
  console.log(
    `semantic-recall query (topK 10, resource_id filter over ${RESOURCES} resources), ${DIMENSIONS}-d, ${QUERIES} queries\n`,
  );
  console.log("| store | vectors | ingest (s) | query p50 (ms) | query p95 (ms) |");
  console.log("|---|---:|---:|---:|---:|");
  for (const row of rows) {
    console.log(
      `| ${row.store} | ${row.vectors} | ${row.ingestSeconds.toFixed(1)} | ${row.p50.toFixed(2)} | ${row.p95.toFixed(2)} |`,
    );
  }
}
