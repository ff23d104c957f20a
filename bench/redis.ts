// Redis backend, in each mode the server offers, against the embedded SQLite backend: pipelined
// writes of pre-embedded memories (and raw pipelined HSETs of the same hashes into the same
// index), semantic and hybrid recall latency without embedding, recall@10 against exact search,
// and all of it again after 1,000 recalls have touched their results. In search mode it also
// times raw FT.SEARCH KNN on the same index, server and run. All memories live in one
// namespace; vectors are synthetic, 384-d and clustered. An untimed warm-up on a store of its
// own comes first, so the first size measured does not also pay for compiling core's code.
// Run: pnpm --filter @engram/bench bench:redis [--json]   (core must be built)
// REDIS_URL picks the server (default redis://127.0.0.1:6379); SIZES overrides the sizes
// (e.g. SIZES=100000), MODES the backends (e.g. MODES=search), EF_RUNTIME search mode's HNSW
// candidate list (default 128, core's default), used by the store and by raw KNN alike.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type Backend,
  createMemory,
  type Memory,
  type RedisBackend,
  redisBackend,
  sqliteBackend,
} from "@engram/core";
import { percentile, sentences } from "./lib/corpus.ts";
import { clusteredVectors, syntheticEmbedder } from "./lib/vectors.ts";

const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const JSON_OUTPUT = process.argv.includes("--json");
const DIMENSIONS = 384;
const CLUSTERS = 64;
const QUERIES = 200;
const TOUCHES = 1_000;
const WARM_UP = 2_000;
const BATCH = 100;
const IN_FLIGHT = 8;
const NAMESPACE = ["bench"];
const EF_RUNTIME = Number(process.env.EF_RUNTIME ?? 128);
type Mode = "sqlite" | "plain" | "search";
const SIZES: Record<Mode, number[]> = {
  sqlite: [10_000],
  plain: [10_000],
  search: [10_000, 100_000],
};
if (process.env.SIZES) {
  const sizes = process.env.SIZES.split(",").map(Number);
  for (const mode of Object.keys(SIZES) as Mode[]) SIZES[mode] = sizes;
}
const wantedModes = (process.env.MODES?.split(",") ?? ["sqlite", "plain", "search"]) as Mode[];
const log = (line: string) => {
  if (!JSON_OUTPUT) console.log(line);
  else console.error(line);
};

const { next, near } = clusteredVectors(DIMENSIONS, CLUSTERS);

const largest = Math.max(...wantedModes.flatMap((mode) => SIZES[mode]));
const texts = sentences(largest, 1);
const queryTexts = Array.from({ length: QUERIES }, (_, i) => `bench query ${i}`);
// Hybrid queries name what a memory is about and when, as a user asking after it would. The
// corpus has a small vocabulary, so each such word is held by 1/8 to 1/18 of all memories.
const hybridTexts = Array.from({ length: QUERIES }, (_, i) => {
  const words = texts[Math.floor(next() * Math.min(largest, 10_000))]!.split(" ");
  return `what about ${words.slice(-6, -2).join(" ")} (${i})`;
});
const { embedder, vectors } = syntheticEmbedder(near, DIMENSIONS);
for (const text of [...texts, ...queryTexts]) vectors.set(text, near());

// The bench has no dependency of its own on node-redis: borrow core's, for the baselines.
const { createClient } = await import(
  pathToFileURL(createRequire(import.meta.resolve("@engram/core")).resolve("redis")).href
);
const asBytes = (vector: Float32Array) =>
  Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

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
const exact = new Map<string, Set<string>>();

interface Row {
  backend: string;
  mode: Mode;
  size: number;
  writesPerSecond: number;
  rawHsetPerSecond?: number;
  p50Ms: number;
  p95Ms: number;
  recallAt10: number;
  hybridP50Ms: number;
  hybridP95Ms: number;
  touchedP50Ms: number;
  touchedP95Ms: number;
  touchedRecallAt10: number;
  touchedHybridP50Ms: number;
  touchedHybridP95Ms: number;
  rawKnnP50Ms?: number;
  rawKnnP95Ms?: number;
  rawKnnRecallAt10?: number;
}

async function timed(memory: Memory, queries: string[], mode: "semantic" | "hybrid") {
  const samples: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const started = performance.now();
    const found = await memory.recall({ namespace: NAMESPACE, query, mode, limit: 10 });
    samples.push(performance.now() - started);
    const truth = exact.get(query);
    if (truth) hits += found.filter((hit) => truth.has(hit.content)).length;
  }
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    recallAt10: hits / (queries.length * 10),
  };
}

async function measure(backend: Backend, mode: Mode, size: number): Promise<Row> {
  const memory = createMemory({ backend, embedder, dedup: false });
  let started = performance.now();
  // Several batches in flight at once: node-redis pipelines them on the connection.
  for (let i = 0; i < size; i += BATCH * IN_FLIGHT) {
    const writes: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(size, i + BATCH * IN_FLIGHT); j += BATCH) {
      const batch = texts.slice(j, Math.min(size, j + BATCH));
      writes.push(memory.remember(batch.map((content) => ({ namespace: NAMESPACE, content }))));
    }
    await Promise.all(writes);
  }
  const writesPerSecond = size / ((performance.now() - started) / 1000);
  for (const query of queryTexts) exact.set(query, exactTop(vectors.get(query)!, size, 10));

  await timed(memory, queryTexts.slice(0, 20), "semantic"); // warm the scope cache
  await timed(memory, hybridTexts.slice(0, 20), "hybrid");
  const semantic = await timed(memory, queryTexts, "semantic");
  const hybrid = await timed(memory, hybridTexts, "hybrid");
  // Recalls touch what they return: 1,000 more, then measure again.
  started = performance.now();
  for (let i = 0; i < TOUCHES; i++)
    await memory.recall({
      namespace: NAMESPACE,
      query: queryTexts[i % QUERIES]!,
      mode: "semantic",
    });
  const touchedSemantic = await timed(memory, queryTexts, "semantic");
  const touchedHybrid = await timed(memory, hybridTexts, "hybrid");
  await memory.close();
  return {
    backend: mode === "sqlite" ? "sqlite (embedded)" : `redis ${mode}`,
    mode,
    size,
    writesPerSecond,
    p50Ms: semantic.p50,
    p95Ms: semantic.p95,
    recallAt10: semantic.recallAt10,
    hybridP50Ms: hybrid.p50,
    hybridP95Ms: hybrid.p95,
    touchedP50Ms: touchedSemantic.p50,
    touchedP95Ms: touchedSemantic.p95,
    touchedRecallAt10: touchedSemantic.recallAt10,
    touchedHybridP50Ms: touchedHybrid.p50,
    touchedHybridP95Ms: touchedHybrid.p95,
  };
}

/** Raw FT.SEARCH KNN (top-10, only the distance back) on the index the store built. */
async function rawKnn(prefix: string, efRuntime: number) {
  const client = createClient({ url: URL, RESP: 2 });
  await client.connect();
  const [index] = ((await client.sendCommand(["FT._LIST"])) as string[]).filter((name) =>
    name.startsWith(`${prefix}:idx:`),
  );
  const samples: number[] = [];
  let hits = 0;
  for (const query of queryTexts) {
    const started = performance.now();
    const reply = (await client.sendCommand([
      "FT.SEARCH",
      index!,
      `*=>[KNN 10 @vector $vector EF_RUNTIME ${efRuntime} AS d]`,
      "PARAMS",
      "2",
      "vector",
      asBytes(vectors.get(query)!),
      "SORTBY",
      "d",
      "RETURN",
      "1",
      "d",
      "LIMIT",
      "0",
      "10",
      "DIALECT",
      "2",
    ])) as unknown[];
    samples.push(performance.now() - started);
    const keys = reply.filter((_, i) => i % 2 === 1).map(String);
    const contents = await Promise.all(keys.map((key) => client.hGet(key, "content")));
    hits += contents.filter((content) => exact.get(query)!.has(String(content))).length;
  }
  await client.close();
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    recallAt10: hits / (QUERIES * 10),
  };
}

/**
 * Raw pipelined HSETs of the same hashes (every field remember writes, vector and index fields
 * included, computed beforehand) into a store with the same index, as many in flight as
 * `measure` keeps: the ceiling for remember.
 */
async function rawHsetsPerSecond(size: number, mode: "plain" | "search"): Promise<number> {
  const prefix = `engram-bench-raw-${mode}-${size}-${process.pid}`;
  const store = redisBackend(
    { url: URL },
    { prefix, mode: mode === "plain" ? "plain" : "auto", log: () => undefined },
  );
  await store.open();
  await store.bindEmbeddingSpace({ model: embedder.model, dimensions: DIMENSIONS });
  const hashes = texts
    .slice(0, size)
    .map((text) => createHash("sha256").update(text).digest("hex"));
  const client = createClient({ url: URL });
  await client.connect();
  const started = performance.now();
  for (let i = 0; i < size; i += BATCH * IN_FLIGHT) {
    const writes: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(size, i + BATCH * IN_FLIGHT); j++) {
      const now = String(Date.now());
      writes.push(
        // Under the index's PREFIX (`<prefix>:mem:{`), as a memory of a tenant would be.
        client.hSet(`${prefix}:mem:{bench}:raw-${j}`, {
          id: `raw-${j}`,
          namespace: "bench",
          content: texts[j]!,
          kind: "fact",
          metadata: "{}",
          tags: "[]",
          importance: "0.5",
          pinned: "0",
          createdAt: now,
          updatedAt: now,
          accessCount: "0",
          contentHash: hashes[j]!,
          model: embedder.model,
          dimensions: String(DIMENSIONS),
          ancestors: "bench",
          vector: asBytes(vectors.get(texts[j]!)!),
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

/**
 * Runs remember and recall once, untimed, on a store of its own, so that the first size
 * measured is not also the one that pays for compiling core's code (raw HSETs, timed after,
 * never do).
 */
async function warmUp(mode: "plain" | "search"): Promise<void> {
  const backend = redisBackend(
    { url: URL },
    {
      prefix: `engram-bench-warm-${mode}-${process.pid}`,
      mode: mode === "plain" ? "plain" : "auto",
      eventStreamLength: 1_000,
      log: () => undefined,
    },
  );
  const memory = createMemory({ backend, embedder, dedup: false });
  const count = Math.min(WARM_UP, largest);
  for (let i = 0; i < count; i += BATCH)
    await memory.remember(
      texts
        .slice(i, Math.min(count, i + BATCH))
        .map((content) => ({ namespace: NAMESPACE, content })),
    );
  for (const query of queryTexts.slice(0, 50))
    await memory.recall({ namespace: NAMESPACE, query, mode: "semantic" });
  await backend.drop();
  await memory.close();
}

const rows: Row[] = [];
// Its mode line goes to the log, never to stdout: with --json stdout is one JSON object.
const probe = redisBackend(
  { url: URL },
  { prefix: `engram-bench-probe-${process.pid}`, log: (line) => log(line) },
);
await probe.open();
const searchModule = probe.capabilities?.searchModule === true;
await probe.close();

for (const mode of wantedModes) {
  if (mode === "search" && !searchModule) continue;
  for (const size of SIZES[mode]) {
    log(`measuring ${mode} at ${size.toLocaleString("en")} memories...`);
    if (mode === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "engram-bench-redis-"));
      rows.push(await measure(sqliteBackend({ path: join(dir, "m.db") }), mode, size));
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (size === SIZES[mode][0]) await warmUp(mode);
    const prefix = `engram-bench-${mode}-${size}-${process.pid}`;
    const backend: RedisBackend = redisBackend(
      { url: URL },
      {
        prefix,
        mode: mode === "plain" ? "plain" : "auto",
        hnsw: { efRuntime: EF_RUNTIME },
        eventStreamLength: 1_000,
        log: () => undefined,
      },
    );
    const row = await measure(backend, mode, size);
    if (mode === "search") {
      const knn = await rawKnn(prefix, EF_RUNTIME);
      row.rawKnnP50Ms = knn.p50;
      row.rawKnnP95Ms = knn.p95;
      row.rawKnnRecallAt10 = knn.recallAt10;
    }
    await backend.open();
    await backend.drop();
    await backend.close();
    row.rawHsetPerSecond = await rawHsetsPerSecond(size, mode);
    rows.push(row);
  }
}

const ms = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(2));
const count = (value: number | undefined) =>
  value === undefined ? "-" : Math.round(value).toLocaleString("en");
if (JSON_OUTPUT) {
  console.log(
    JSON.stringify({
      url: URL,
      dimensions: DIMENSIONS,
      queries: QUERIES,
      efRuntime: EF_RUNTIME,
      rows,
    }),
  );
} else {
  const header = [
    "backend",
    "memories",
    "semantic p50 / p95 ms",
    "recall@10",
    "hybrid p50 / p95 ms",
    `after ${TOUCHES.toLocaleString("en")} recalls: semantic p50 / p95, recall@10, hybrid p50 / p95`,
    "raw KNN p50 / p95 ms (recall@10)",
    "remember/s (raw HSET/s, %)",
  ];
  console.log(
    `\nRedis at ${URL}: ${DIMENSIONS}-d clustered vectors, one namespace, ${QUERIES} queries, top-10, no embedding\n`,
  );
  console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const row of rows) {
    console.log(
      `| ${[
        row.backend,
        row.size.toLocaleString("en"),
        `${ms(row.p50Ms)} / ${ms(row.p95Ms)}`,
        row.recallAt10.toFixed(3),
        `${ms(row.hybridP50Ms)} / ${ms(row.hybridP95Ms)}`,
        `${ms(row.touchedP50Ms)} / ${ms(row.touchedP95Ms)}, ${row.touchedRecallAt10.toFixed(3)}, ${ms(row.touchedHybridP50Ms)} / ${ms(row.touchedHybridP95Ms)}`,
        row.rawKnnP50Ms === undefined
          ? "-"
          : `${ms(row.rawKnnP50Ms)} / ${ms(row.rawKnnP95Ms)} (${row.rawKnnRecallAt10?.toFixed(3)})`,
        row.rawHsetPerSecond === undefined
          ? count(row.writesPerSecond)
          : `${count(row.writesPerSecond)} (${count(row.rawHsetPerSecond)}, ${Math.round((100 * row.writesPerSecond) / row.rawHsetPerSecond)}%)`,
      ].join(" | ")} |`,
    );
  }
  if (wantedModes.includes("search") && !searchModule)
    console.log("\nSearch mode: skipped, the server has no RediSearch 2.6+ module.");
}
