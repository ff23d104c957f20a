// Hybrid recall alone, on the data of bench:peers (384-d clustered vectors, one namespace,
// top-10, embedding excluded): p50/p95 of hybrid recall, plain and with a kind filter that keeps
// 10% of the memories, and of semantic recall for scale, per backend and size.
// Run: pnpm --filter @engram/bench bench:hybrid   (core must be built)
// SIZES (default 10000,100000); SYSTEMS: sqlite, plain, search (search needs REDIS_URL at a
// server with RediSearch); REDIS_URL (default redis://127.0.0.1:6379); QUERIES (default 200);
// KEEP=1 keeps each store (a SQLite file and a Redis prefix per size, under the temp
// directory) and reuses it on the next run, so profiling runs skip the ingest; --json prints
// one object. PASSES (default 1) runs the queries that many times per row and times the last
// pass only (PASSES=2: a process past its first recalls, the garbage of loading collected).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, redisBackend, sqliteBackend } from "@engram/core";
import { percentile } from "./lib/corpus.ts";
import { peerData } from "./lib/peer-data.ts";

const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SIZES = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
const SYSTEMS = (process.env.SYSTEMS ?? "sqlite,plain").split(",");
const QUERIES = Number(process.env.QUERIES ?? 200);
const KEEP = process.env.KEEP === "1";
const PASSES = Number(process.env.PASSES ?? 1);
const JSON_OUTPUT = process.argv.includes("--json");
const DIMENSIONS = 384;
const BATCH = 500;
const log = (line: string) => {
  if (!JSON_OUTPUT) console.log(line);
};

// The same data as bench:peers, drawn in the same order.
const largest = Math.max(...SIZES);
const { texts, queries, embedder, kindOf } = peerData(largest, Math.max(QUERIES, 200), DIMENSIONS);
const namespace = ["bench", "agent"];

function open(system: string, size: number, directory: string) {
  // Saved graphs go to the run's own directory.
  const vectorIndexCache = join(directory, `hybrid-graphs-${system}-${size}`);
  if (system === "sqlite")
    return sqliteBackend({ path: join(directory, `hybrid-${size}.db`), vectorIndexCache });
  const prefix = `engram-bench-hybrid-${system}-${size}${KEEP ? "" : `-${process.pid}`}`;
  return redisBackend(
    { url: URL },
    {
      prefix,
      mode: system === "plain" ? "plain" : "auto",
      log: () => undefined,
      vectorIndexCache,
      ...(system === "search" ? { hnsw: { efRuntime: 128 } } : {}),
    },
  );
}

interface Row {
  system: string;
  size: number;
  semantic: { p50: number; p95: number };
  hybrid: { p50: number; p95: number };
  hybridKind: { p50: number; p95: number };
}

async function measure(system: string, size: number, directory: string): Promise<Row> {
  const backend = open(system, size, directory);
  const memory = createMemory({ backend, embedder, dedup: false });
  const held = KEEP ? await memory.count({ namespace }) : 0;
  if (held !== size) {
    if (held > 0) await memory.forgetNamespace(namespace);
    for (let i = 0; i < size; i += BATCH)
      await memory.remember(
        texts.slice(i, Math.min(size, i + BATCH)).map((content, j) => ({
          namespace,
          content,
          kind: kindOf(i + j),
        })),
      );
  }
  const timed = async (options: object) => {
    // Warm: the first recalls build the indexes.
    for (const query of queries.slice(0, 5)) await memory.recall({ namespace, query, ...options });
    let samples: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      samples = [];
      for (const query of queries.slice(0, QUERIES)) {
        const started = performance.now();
        await memory.recall({ namespace, query, limit: 10, ...options });
        samples.push(performance.now() - started);
      }
    }
    return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
  };
  const semantic = await timed({ mode: "semantic" });
  const hybrid = await timed({ mode: "hybrid" });
  const hybridKind = await timed({ mode: "hybrid", kinds: ["fact"] });
  if (!KEEP && system !== "sqlite") await (backend as ReturnType<typeof redisBackend>).drop();
  await memory.close();
  return { system, size, semantic, hybrid, hybridKind };
}

const directory = KEEP
  ? join(tmpdir(), "engram-bench-hybrid")
  : mkdtempSync(join(tmpdir(), "engram-bench-hybrid-"));
if (KEEP) mkdirSync(directory, { recursive: true });
const rows: Row[] = [];
const pair = ({ p50, p95 }: { p50: number; p95: number }) =>
  `${p50.toFixed(2)} / ${p95.toFixed(2)}`;
log(
  `${DIMENSIONS}-d clustered vectors, one namespace, top-10, ${QUERIES} queries${PASSES > 1 ? ` (pass ${PASSES} of ${PASSES} timed)` : ""}, no embedding`,
);
log(
  "| system | memories | semantic p50 / p95 ms | hybrid p50 / p95 ms | hybrid, kind filter (10%) p50 / p95 ms |",
);
log("|---|---|---|---|---|");
try {
  for (const size of SIZES)
    for (const system of SYSTEMS) {
      const row = await measure(system, size, directory);
      rows.push(row);
      log(
        `| ${system} | ${size.toLocaleString("en-US")} | ${pair(row.semantic)} | ${pair(row.hybrid)} | ${pair(row.hybridKind)} |`,
      );
    }
} finally {
  if (!KEEP && existsSync(directory)) rmSync(directory, { recursive: true, force: true });
}
if (JSON_OUTPUT)
  console.log(JSON.stringify({ dimensions: DIMENSIONS, queries: QUERIES, passes: PASSES, rows }));
