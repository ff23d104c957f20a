// Redis backend, in each mode the server offers: recall latency without embedding, pipelined
// write throughput of pre-embedded memories, recall@10 against exact search, and the ratio to
// the embedded SQLite backend on the same data. Vectors are synthetic: 384-d, clustered.
// Run: pnpm --filter @engram/bench bench:redis   (or: node bench/redis.ts; core must be built)
// REDIS_URL picks the server (default redis://127.0.0.1:6379); SIZES overrides the sizes.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type Backend,
  createMemory,
  type Embedder,
  type RedisBackend,
  redisBackend,
  sqliteBackend,
} from "@engram/core";
import { percentile, random, sentences } from "./lib/corpus.ts";

const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DIMENSIONS = 384;
const CLUSTERS = 64;
const QUERIES = 200;
const RECALL_QUERIES = 50;
const BATCH = 100;
const IN_FLIGHT = 8;
const SIZES: Record<string, number[]> = {
  sqlite: [1_000, 10_000],
  plain: [1_000, 10_000],
  search: [1_000, 10_000, 100_000],
};
if (process.env.SIZES) {
  const sizes = process.env.SIZES.split(",").map(Number);
  for (const mode of Object.keys(SIZES)) SIZES[mode] = sizes;
}

// Clustered unit vectors: a memory is its cluster's centre plus noise, as real embeddings of
// related notes are. Queries are drawn the same way, so each has true near neighbours.
const next = random(384);
const gaussian = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
function unit(values: Float32Array): Float32Array {
  let norm = 0;
  for (const value of values) norm += value * value;
  norm = Math.sqrt(norm);
  for (let i = 0; i < values.length; i++) values[i]! /= norm;
  return values;
}
const centres = Array.from({ length: CLUSTERS }, () =>
  unit(Float32Array.from({ length: DIMENSIONS }, gaussian)),
);
const near = (): Float32Array => {
  const centre = centres[Math.floor(next() * CLUSTERS)]!;
  return unit(Float32Array.from(centre, (value) => value + 0.06 * gaussian()));
};

const largest = Math.max(...Object.values(SIZES).flat());
const texts = sentences(largest, 1);
const queryTexts = Array.from({ length: QUERIES }, (_, i) => `bench query ${i}`);
const vectors = new Map<string, Float32Array>();
for (const text of [...texts, ...queryTexts]) vectors.set(text, near());
const embedder: Embedder = {
  model: "bench-synthetic-384",
  dimensions: DIMENSIONS,
  embed: async (batch) => batch.map((text) => vectors.get(text)!),
};

// The bench has no dependency of its own on node-redis: borrow core's, for the raw baseline.
const { createClient } = await import(
  pathToFileURL(createRequire(import.meta.resolve("@engram/core")).resolve("redis")).href
);

/**
 * Raw pipelined HSETs of the same hashes (vector included) into a store with the same index,
 * as many in flight as `measure` keeps: the ceiling for Engram's own write throughput.
 */
async function rawHsetsPerSecond(size: number, mode: "plain" | "search"): Promise<number> {
  const prefix = `engram-bench-raw-${mode}-${size}-${process.pid}`;
  const store = redisBackend(
    { url: URL },
    { prefix, mode: mode === "plain" ? "plain" : "auto", log: () => undefined },
  );
  await store.open();
  await store.bindEmbeddingSpace({ model: embedder.model, dimensions: DIMENSIONS });
  const client = createClient({ url: URL });
  await client.connect();
  const started = performance.now();
  for (let i = 0; i < size; i += BATCH * IN_FLIGHT) {
    const writes: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(size, i + BATCH * IN_FLIGHT); j++) {
      const vector = vectors.get(texts[j]!)!;
      const namespace = `bench/agent${j % 10}`;
      writes.push(
        client.hSet(`{${prefix}}:mem:raw-${j}`, {
          id: `raw-${j}`,
          namespace,
          ancestors: `bench,${namespace}`,
          content: texts[j]!,
          kind: "fact",
          pinned: "0",
          importance: "0.5",
          createdAt: String(Date.now()),
          updatedAt: String(Date.now()),
          vector: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        }),
      );
    }
    await Promise.all(writes);
  }
  const perSecond = size / ((performance.now() - started) / 1000);
  await client.close();
  await store.drop();
  await store.close();
  return perSecond;
}

/** Top-10 latency and recall@10 of the index itself at several EF_RUNTIME values. */
async function efSweep(prefix: string, size: number): Promise<string[]> {
  const lines: string[] = [];
  for (const efRuntime of [64, 128, 256, 512]) {
    const store = redisBackend({ url: URL }, { prefix, hnsw: { efRuntime }, log: () => undefined });
    await store.open();
    const samples: number[] = [];
    let hits = 0;
    for (const query of queryTexts.slice(0, RECALL_QUERIES)) {
      const vector = vectors.get(query)!;
      const started = performance.now();
      const found = await store.searchVector(
        { scope: { exact: [], prefixes: ["bench"] }, filter: {}, now: Date.now() },
        vector,
        10,
      );
      samples.push(performance.now() - started);
      const exact = exactTop(vector, size, 10);
      hits += found.filter((entry) => exact.has(entry.memory.content)).length;
    }
    await store.close();
    lines.push(
      `  EF_RUNTIME ${efRuntime}: searchVector p50/p95 ${percentile(samples, 50).toFixed(2)} / ${percentile(samples, 95).toFixed(2)} ms, recall@10 ${(hits / (RECALL_QUERIES * 10)).toFixed(3)}`,
    );
  }
  return lines;
}

function exactTop(query: Float32Array, size: number, k: number): Set<string> {
  const scored: { text: string; score: number }[] = [];
  for (let i = 0; i < size; i++) {
    const vector = vectors.get(texts[i]!)!;
    let score = 0;
    for (let d = 0; d < DIMENSIONS; d++) score += vector[d]! * query[d]!;
    scored.push({ text: texts[i]!, score });
  }
  scored.sort((a, b) => b.score - a.score);
  return new Set(scored.slice(0, k).map((entry) => entry.text));
}

interface Figures {
  writesPerSecond: number;
  p50: number;
  p95: number;
  recallAt10: number;
}

async function measure(backend: Backend, size: number): Promise<Figures> {
  const memory = createMemory({ backend, embedder, dedup: false });
  const batches: string[][] = [];
  for (let i = 0; i < size; i += BATCH) batches.push(texts.slice(i, Math.min(size, i + BATCH)));
  let started = performance.now();
  // Several batches in flight at once: node-redis pipelines them on the connection.
  for (let i = 0; i < batches.length; i += IN_FLIGHT) {
    await Promise.all(
      batches.slice(i, i + IN_FLIGHT).map((batch, j) =>
        memory.remember(
          batch.map((content, n) => ({
            namespace: ["bench", `agent${(i + j + n) % 10}`],
            content,
          })),
        ),
      ),
    );
  }
  const writesPerSecond = size / ((performance.now() - started) / 1000);

  await memory.recall({ within: ["bench"], query: queryTexts[0]!, mode: "semantic" }); // warm
  const samples: number[] = [];
  for (const query of queryTexts) {
    started = performance.now();
    await memory.recall({ within: ["bench"], query, mode: "semantic", limit: 10 });
    samples.push(performance.now() - started);
  }

  let hits = 0;
  for (const query of queryTexts.slice(0, RECALL_QUERIES)) {
    const vector = vectors.get(query)!;
    const found = await backend.searchVector(
      { scope: { exact: [], prefixes: ["bench"] }, filter: {}, now: Date.now() },
      vector,
      10,
    );
    const exact = exactTop(vector, size, 10);
    hits += found.filter((entry) => exact.has(entry.memory.content)).length;
  }
  await memory.close();
  return {
    writesPerSecond,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    recallAt10: hits / (RECALL_QUERIES * 10),
  };
}

const results = new Map<string, Figures>();
const rows: string[][] = [];
const sweeps: string[] = [];
const ms = (value: number) => value.toFixed(2);

for (const size of SIZES.sqlite!) {
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-redis-"));
  results.set(`sqlite ${size}`, await measure(sqliteBackend({ path: join(dir, "m.db") }), size));
  rmSync(dir, { recursive: true, force: true });
}

const probe = redisBackend({ url: URL }, { prefix: `engram-bench-probe-${process.pid}` });
await probe.open();
const modes: ("plain" | "search")[] = probe.capabilities?.searchModule
  ? ["plain", "search"]
  : ["plain"];
await probe.close();

for (const mode of modes) {
  for (const size of SIZES[mode]!) {
    const backend: RedisBackend = redisBackend(
      { url: URL },
      {
        prefix: `engram-bench-${mode}-${size}-${process.pid}`,
        mode: mode === "plain" ? "plain" : "auto",
        eventStreamLength: 1_000,
        log: () => undefined,
      },
    );
    const figures = await measure(backend, size);
    if (mode === "search" || process.env.BENCH_SWEEP_PLAIN) {
      sweeps.push(`redis ${mode}, ${size.toLocaleString("en")} memories:`);
      sweeps.push(...(await efSweep(`engram-bench-${mode}-${size}-${process.pid}`, size)));
    }
    const raw = await rawHsetsPerSecond(size, mode);
    await backend.open();
    await backend.drop();
    await backend.close();
    const baseline = results.get(`sqlite ${size}`);
    rows.push([
      `redis ${mode}`,
      size.toLocaleString("en"),
      Math.round(figures.writesPerSecond).toLocaleString("en"),
      `${ms(figures.p50)} / ${ms(figures.p95)}`,
      figures.recallAt10.toFixed(3),
      `${Math.round(raw).toLocaleString("en")} (${Math.round((100 * figures.writesPerSecond) / raw)}%)`,
      baseline
        ? `${(figures.writesPerSecond / baseline.writesPerSecond).toFixed(2)}x / ${(figures.p50 / baseline.p50).toFixed(2)}x / ${(figures.p95 / baseline.p95).toFixed(2)}x`
        : "n/a (no sqlite run at this size)",
    ]);
  }
}
for (const size of [...SIZES.sqlite!].reverse()) {
  const figures = results.get(`sqlite ${size}`)!;
  rows.unshift([
    "sqlite (embedded)",
    size.toLocaleString("en"),
    Math.round(figures.writesPerSecond).toLocaleString("en"),
    `${ms(figures.p50)} / ${ms(figures.p95)}`,
    figures.recallAt10.toFixed(3),
    "n/a",
    "1.00x / 1.00x / 1.00x",
  ]);
}

const header = [
  "backend",
  "memories",
  "remember/s (pre-embedded, pipelined)",
  "semantic recall p50 / p95 ms (no embed)",
  "recall@10 vs exact",
  "raw pipelined HSET/s (remember as %)",
  "vs sqlite: writes / p50 / p95",
];
console.log(
  `\nRedis backend at ${URL}, ${DIMENSIONS}-d clustered synthetic vectors, ${QUERIES} queries, top-10, warm cache\n`,
);
console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
if (sweeps.length > 0)
  console.log(`\nSearch-mode index, top-10 by EF_RUNTIME:\n${sweeps.join("\n")}`);
if (!modes.includes("search")) {
  console.log("\nSearch mode: skipped, the server has no RediSearch 2.6+ module (MODULE LIST).");
}
