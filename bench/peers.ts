// Engram against its peers on one generated data set, in one process: 384-d clustered vectors,
// one namespace, top-10, embedding excluded (every embedder here is a lookup of precomputed
// vectors). Per system: ingest rate, p50/p95 of semantic, hybrid and kind-filtered (10%) recall,
// recall@10 against an exact scan, time to the first answer after a (re)open, and the memory the
// index costs; for Engram also the first hybrid answer (it builds the keyword index). Each timed
// set of queries follows 5 untimed ones, as in bench:hybrid. Peers that cannot run here are printed as skipped, with the reason.
// Run: pnpm --filter @engram/bench bench:peers   (core must be built; SIZES=10000,100000;
// the script runs node with --expose-gc, so the index memory column counts only what stays held)
// REDIS_URL picks the Redis server (default redis://127.0.0.1:6379); LANGCHAIN_REDIS_URL one with
// RediSearch for LangChain's RedisVectorStore (default REDIS_URL); SYSTEMS picks rows by a word
// of their names (e.g. SYSTEMS=sqlite,plain); PEER_INGEST_SECONDS caps LibSQLVector's and mem0's
// ingest (default 120); --json prints one object. mem0 (mem0ai/oss) runs offline: its embedder
// is the same lookup (through its LangChain embedder adapter), its in-memory store is SQLite
// `:memory:`, `infer: false` never calls its LLM, and its telemetry is turned off.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Backend, createMemory, redisBackend, sqliteBackend } from "@engram/core";
import { percentile } from "./lib/corpus.ts";
import { peerData } from "./lib/peer-data.ts";

const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SIZES = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
// SYSTEMS picks rows by a word of their name (e.g. SYSTEMS=sqlite,plain); default: all.
const SYSTEMS = process.env.SYSTEMS?.toLowerCase().split(",");
const wanted = (system: string) =>
  !SYSTEMS || SYSTEMS.some((word) => system.toLowerCase().includes(word));
const DIMENSIONS = 384;
const QUERIES = 200;
const RECALL_QUERIES = 50;
// Queries run untimed before each timed set, as in bench:hybrid: the first recalls of a mode
// build its indexes and compile its code (the first answer is reported on its own).
const WARM_UP = 5;
const BATCH = 500;
const JSON_OUTPUT = process.argv.includes("--json");
const log = (line: string) => {
  if (!JSON_OUTPUT) console.log(line);
};

const largest = Math.max(...SIZES);
const { texts, memoryVectors, queries, queryVectors, embedder, vectors, kindOf } = peerData(
  largest,
  QUERIES,
  DIMENSIONS,
);

function exactTop(query: Float32Array, size: number, keep: (i: number) => boolean): Set<string> {
  const scored: { i: number; score: number }[] = [];
  for (let i = 0; i < size; i++) {
    if (!keep(i)) continue;
    const vector = memoryVectors[i]!;
    let score = 0;
    for (let d = 0; d < DIMENSIONS; d++) score += vector[d]! * query[d]!;
    scored.push({ i, score });
  }
  scored.sort((a, b) => b.score - a.score);
  return new Set(scored.slice(0, 10).map(({ i }) => texts[i]!));
}

async function timed(run: (query: string, i: number) => Promise<unknown>, count = QUERIES) {
  for (const [i, query] of queries.slice(0, WARM_UP).entries()) await run(query, i);
  const samples: number[] = [];
  for (const [i, query] of queries.slice(0, count).entries()) {
    const started = performance.now();
    await run(query, i);
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

// With `node --expose-gc` garbage is collected first, so the figure is what stays held.
const memoryMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return (usage.rss + usage.external) / 1e6;
};

interface Row {
  system: string;
  size: number;
  ingestPerSecond?: number;
  firstAnswerMs?: number;
  reopenFirstAnswerMs?: number;
  firstHybridMs?: number;
  reopenHybridMs?: number;
  indexMb?: number;
  semantic?: { p50: number; p95: number };
  recallAt10?: number;
  hybrid?: { p50: number; p95: number };
  filtered?: { p50: number; p95: number };
  filteredRecallAt10?: number;
  skipped?: string;
}

async function engram(system: string, size: number, open: () => Backend): Promise<Row> {
  const namespace = ["bench", "agent"];
  let memory = createMemory({ backend: open(), embedder, dedup: false });
  let started = performance.now();
  for (let i = 0; i < size; i += BATCH) {
    await memory.remember(
      texts.slice(i, Math.min(size, i + BATCH)).map((content, j) => ({
        namespace,
        content,
        kind: kindOf(i + j),
      })),
    );
  }
  const ingestPerSecond = size / ((performance.now() - started) / 1000);
  const before = memoryMb();
  started = performance.now();
  await memory.recall({ namespace, query: queries[0]!, mode: "semantic" });
  const firstAnswerMs = performance.now() - started;
  const indexMb = memoryMb() - before;

  const semantic = await timed((query) =>
    memory.recall({ namespace, query, mode: "semantic", limit: 10 }),
  );
  // The first hybrid recall builds the keyword index: timed on its own, as the first answer is.
  started = performance.now();
  await memory.recall({ namespace, query: queries[0]!, mode: "hybrid" });
  const firstHybridMs = performance.now() - started;
  const hybrid = await timed((query) =>
    memory.recall({ namespace, query, mode: "hybrid", limit: 10 }),
  );
  const filtered = await timed((query) =>
    memory.recall({ namespace, query, mode: "semantic", limit: 10, kinds: ["fact"] }),
  );
  // Index quality at the backend, without ranking signals.
  const backend = open();
  await backend.open();
  let hits = 0;
  let filteredHits = 0;
  const scope = { exact: ["bench/agent"], prefixes: [] };
  for (const vector of queryVectors.slice(0, RECALL_QUERIES)) {
    const found = await backend.searchVector({ scope, filter: {}, now: Date.now() }, vector, 10);
    const exact = exactTop(vector, size, () => true);
    hits += found.filter((hit) => exact.has(hit.memory.content)).length;
    const kept = await backend.searchVector(
      { scope, filter: { kinds: ["fact"] }, now: Date.now() },
      vector,
      10,
    );
    const exactKept = exactTop(vector, size, (n) => kindOf(n) === "fact");
    filteredHits += kept.filter((hit) => exactKept.has(hit.memory.content)).length;
  }
  await backend.close();
  await memory.close();
  // A restart: a new store over the same data, until its first answer. The garbage of the
  // rows measured before is collected first, so the restart is not charged for it.
  (globalThis as { gc?: () => void }).gc?.();
  started = performance.now();
  memory = createMemory({ backend: open(), embedder, dedup: false });
  await memory.recall({ namespace, query: queries[1]!, mode: "semantic" });
  const reopenFirstAnswerMs = performance.now() - started;
  await memory.close();
  // Again, answered in recall's default mode (hybrid), which also builds the keyword index.
  (globalThis as { gc?: () => void }).gc?.();
  started = performance.now();
  memory = createMemory({ backend: open(), embedder, dedup: false });
  await memory.recall({ namespace, query: queries[2]! });
  const reopenHybridMs = performance.now() - started;
  await memory.close();
  return {
    system,
    size,
    ingestPerSecond,
    firstAnswerMs,
    reopenFirstAnswerMs,
    firstHybridMs,
    reopenHybridMs,
    indexMb,
    semantic,
    recallAt10: hits / (RECALL_QUERIES * 10),
    hybrid,
    filtered,
    filteredRecallAt10: filteredHits / (RECALL_QUERIES * 10),
  };
}

async function langGraph(size: number): Promise<Row> {
  const system = "LangGraph InMemoryStore.search";
  let InMemoryStore: typeof import("@langchain/langgraph-checkpoint").InMemoryStore;
  try {
    ({ InMemoryStore } = await import("@langchain/langgraph-checkpoint"));
  } catch (error) {
    return { system, size, skipped: `cannot load @langchain/langgraph-checkpoint: ${error}` };
  }
  const embeddings = {
    embedDocuments: async (batch: string[]) => batch.map((text) => [...vectors.get(text)!]),
    embedQuery: async (text: string) => [...vectors.get(text)!],
  };
  const store = new InMemoryStore({
    index: { dims: DIMENSIONS, embeddings: embeddings as never, fields: ["content"] },
  });
  const started = performance.now();
  for (let i = 0; i < size; i += BATCH) {
    await store.batch(
      texts.slice(i, Math.min(size, i + BATCH)).map((content, j) => ({
        namespace: ["bench", "agent"],
        key: `m${i + j}`,
        value: { content, kind: kindOf(i + j) },
      })),
    );
  }
  const ingestPerSecond = size / ((performance.now() - started) / 1000);
  let hits = 0;
  for (const [i, query] of queries.slice(0, 20).entries()) {
    const found = await store.search(["bench"], { query, limit: 10 });
    const exact = exactTop(queryVectors[i]!, size, () => true);
    hits += found.filter((item) => exact.has(String(item.value.content))).length;
  }
  // A brute-force scan in JavaScript: fewer queries, or the 100k run takes many minutes.
  const semantic = await timed((query) => store.search(["bench"], { query, limit: 10 }), 50);
  const filtered = await timed(
    (query) => store.search(["bench"], { query, limit: 10, filter: { kind: "fact" } }),
    50,
  );
  return {
    system,
    size,
    ingestPerSecond,
    semantic,
    filtered,
    recallAt10: hits / (20 * 10),
  };
}

// LibSQLVector ingests some 40 vectors a second here: it gets this long, then answers over
// what it took in (the row says how many).
const PEER_INGEST_SECONDS = Number(process.env.PEER_INGEST_SECONDS ?? 120);

async function mastra(size: number): Promise<Row> {
  const system = "Mastra LibSQLVector.query";
  let LibSQLVector: typeof import("@mastra/libsql").LibSQLVector;
  try {
    ({ LibSQLVector } = await import("@mastra/libsql"));
  } catch (error) {
    return { system, size, skipped: `cannot load @mastra/libsql: ${error}` };
  }
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-peers-libsql-"));
  const store = new LibSQLVector({ id: "libsql", url: `file:${join(dir, "vectors.db")}` });
  try {
    await store.createIndex({ indexName: "bench", dimension: DIMENSIONS, metric: "cosine" });
    const started = performance.now();
    let ingested = 0;
    while (ingested < size && performance.now() - started < PEER_INGEST_SECONDS * 1000) {
      const end = Math.min(size, ingested + BATCH);
      await store.upsert({
        indexName: "bench",
        vectors: memoryVectors.slice(ingested, end).map((vector) => [...vector]),
        ids: texts.slice(ingested, end).map((_, j) => `m${ingested + j}`),
        metadata: texts.slice(ingested, end).map((content, j) => ({
          content,
          kind: kindOf(ingested + j),
        })),
      });
      ingested = end;
    }
    const ingestPerSecond = ingested / ((performance.now() - started) / 1000);
    const ask = (i: number, filter?: Record<string, string>) =>
      store.query({ indexName: "bench", queryVector: [...queryVectors[i]!], topK: 10, filter });
    let hits = 0;
    let filteredHits = 0;
    for (let i = 0; i < RECALL_QUERIES; i++) {
      const exact = exactTop(queryVectors[i]!, ingested, () => true);
      hits += (await ask(i)).filter((hit) => exact.has(String(hit.metadata?.content))).length;
      const exactKept = exactTop(queryVectors[i]!, ingested, (n) => kindOf(n) === "fact");
      filteredHits += (await ask(i, { kind: "fact" })).filter((hit) =>
        exactKept.has(String(hit.metadata?.content)),
      ).length;
    }
    const semantic = await timed((_, i) => ask(i));
    const filtered = await timed((_, i) => ask(i, { kind: "fact" }));
    return {
      system: ingested < size ? `${system} (${ingested.toLocaleString("en")} ingested)` : system,
      size,
      ingestPerSecond,
      semantic,
      recallAt10: hits / (RECALL_QUERIES * 10),
      filtered,
      filteredRecallAt10: filteredHits / (RECALL_QUERIES * 10),
    };
  } finally {
    await (store as unknown as { close?: () => Promise<void> }).close?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

// LangChain's store needs RediSearch: LANGCHAIN_REDIS_URL, else REDIS_URL if it has the module.
const SEARCH_URL = process.env.LANGCHAIN_REDIS_URL ?? URL;

async function langChainRedis(size: number): Promise<Row> {
  const system = "LangChain RedisVectorStore (RediSearch HNSW, its defaults)";
  let RedisVectorStore: typeof import("@langchain/redis").RedisVectorStore;
  let createClient: (options: { url: string }) => {
    connect(): Promise<unknown>;
    quit(): Promise<unknown>;
    sendCommand(args: string[]): Promise<unknown>;
  };
  try {
    ({ RedisVectorStore } = await import("@langchain/redis"));
    // The node-redis major @langchain/redis is built on (4), not the bench's own.
    const fromLangChain = createRequire(import.meta.resolve("@langchain/redis"));
    ({ createClient } = fromLangChain("redis"));
  } catch (error) {
    return { system, size, skipped: `cannot load @langchain/redis: ${error}` };
  }
  const client = createClient({ url: SEARCH_URL });
  try {
    await client.connect();
  } catch (error) {
    return { system, size, skipped: `no Redis at ${SEARCH_URL}: ${error}` };
  }
  const indexName = `engram-bench-peers-lc-${size}-${process.pid}`;
  try {
    const modules = JSON.stringify(await client.sendCommand(["MODULE", "LIST"]));
    if (!/search/i.test(modules))
      return { system, size, skipped: `no RediSearch at ${SEARCH_URL} (LANGCHAIN_REDIS_URL)` };
    const embeddings = {
      embedDocuments: async (batch: string[]) => batch.map((text) => [...vectors.get(text)!]),
      embedQuery: async (text: string) => [...vectors.get(text)!],
    };
    const store = new RedisVectorStore(embeddings as never, {
      redisClient: client as never,
      indexName,
      keyPrefix: `${indexName}:`,
    });
    const started = performance.now();
    for (let i = 0; i < size; i += BATCH) {
      const end = Math.min(size, i + BATCH);
      await store.addVectors(
        memoryVectors.slice(i, end).map((vector) => [...vector]),
        texts
          .slice(i, end)
          .map((pageContent, j) => ({ pageContent, metadata: { kind: kindOf(i + j) } })),
        { keys: texts.slice(i, end).map((_, j) => `${indexName}:m${i + j}`), batchSize: BATCH },
      );
    }
    const ingestPerSecond = size / ((performance.now() - started) / 1000);
    // No kind filter: its string filter found nothing on RediSearch 2.6 here, and its custom
    // schema's `@metadata.kind` field is a syntax error there.
    const ask = (i: number) => store.similaritySearchVectorWithScore([...queryVectors[i]!], 10);
    let hits = 0;
    for (let i = 0; i < RECALL_QUERIES; i++) {
      const exact = exactTop(queryVectors[i]!, size, () => true);
      hits += (await ask(i)).filter(([doc]) => exact.has(doc.pageContent)).length;
    }
    const semantic = await timed((_, i) => ask(i));
    return {
      system,
      size,
      ingestPerSecond,
      semantic,
      recallAt10: hits / (RECALL_QUERIES * 10),
    };
  } finally {
    await client.sendCommand(["FT.DROPINDEX", indexName, "DD"]).catch(() => undefined);
    await client.quit().catch(() => undefined);
  }
}

// mem0's in-memory store scans every row in JavaScript (and its keyword leg every row again):
// a search at 100k takes seconds, so it gets fewer queries and the same ingest budget as
// LibSQLVector.
const MEM0_QUERIES = 20;

async function mem0(size: number): Promise<Row> {
  const system = "mem0 OSS Memory.search (in-memory store, infer: false)";
  // mem0 reports usage to its telemetry service unless told not to; this bench stays offline.
  process.env.MEM0_TELEMETRY = "false";
  let Memory: typeof import("mem0ai/oss").Memory;
  try {
    ({ Memory } = await import("mem0ai/oss"));
  } catch (error) {
    return { system, size, skipped: `cannot load mem0ai/oss: ${error}` };
  }
  // Its embedder as a LangChain `Embeddings`: texts the data set holds get their vectors, any
  // other text (mem0 also embeds entities it finds in a query) a fresh one from the same stream.
  const lookup = async (text: string) => [...(await embedder.embed([text]))[0]!];
  const embeddings = {
    embedQuery: lookup,
    embedDocuments: (batch: string[]) => Promise.all(batch.map(lookup)),
  };
  try {
    const memory = new Memory({
      embedder: { provider: "langchain", config: { model: embeddings } },
      vectorStore: {
        provider: "memory",
        config: {
          collectionName: "bench",
          dimension: DIMENSIONS,
          // In memory, as the issue's row was measured: on a file each insert is a transaction
          // of its own, synced to disk.
          dbPath: ":memory:",
        },
      },
      // Never called with `infer: false`; an LLM must still be configured, and the OpenAI
      // client only connects when asked for a completion.
      llm: { provider: "openai", config: { apiKey: "unused", model: "unused" } },
      disableHistory: true,
    } as never);
    const started = performance.now();
    let ingested = 0;
    while (ingested < size && performance.now() - started < PEER_INGEST_SECONDS * 1000) {
      const end = Math.min(size, ingested + BATCH);
      await memory.add(
        texts.slice(ingested, end).map((content) => ({ role: "user", content })),
        { userId: "bench", infer: false },
      );
      ingested = end;
    }
    const ingestPerSecond = ingested / ((performance.now() - started) / 1000);
    const ask = (query: string) =>
      memory.search(query, { filters: { user_id: "bench" }, topK: 10, threshold: 0 });
    // Timed and checked on the same answers: each one costs seconds at 100k.
    await ask(queries[0]!);
    let hits = 0;
    const samples: number[] = [];
    for (let i = 0; i < MEM0_QUERIES; i++) {
      const started = performance.now();
      const found = (await ask(queries[i]!)).results;
      samples.push(performance.now() - started);
      const exact = exactTop(queryVectors[i]!, ingested, () => true);
      hits += found.filter((hit) => exact.has(hit.memory)).length;
    }
    const semantic = { p50: percentile(samples, 50), p95: percentile(samples, 95) };
    return {
      system: ingested < size ? `${system} (${ingested.toLocaleString("en")} ingested)` : system,
      size,
      ingestPerSecond,
      semantic,
      recallAt10: hits / (MEM0_QUERIES * 10),
    };
  } catch (error) {
    return { system, size, skipped: `mem0 failed here: ${error}` };
  }
}

const rows: Row[] = [];
const progress = (row: Row) => {
  if (!JSON_OUTPUT) console.error(`measured: ${JSON.stringify(row)}`);
};
for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-peers-"));
  const path = join(dir, "m.db");
  // Saved graphs go to the run's own directory, removed with it.
  const vectorIndexCache = join(dir, "graphs");
  if (wanted("Engram SQLite"))
    rows.push(await engram("Engram SQLite", size, () => sqliteBackend({ path, vectorIndexCache })));
  const prefix = `engram-bench-peers-${size}-${process.pid}`;
  const redis = () =>
    redisBackend(
      { url: URL },
      {
        prefix,
        mode: "plain",
        eventStreamLength: 1_000,
        log: () => undefined,
        vectorIndexCache: join(dir, "redis-graphs"),
      },
    );
  try {
    if (wanted("Engram Redis plain")) rows.push(await engram("Engram Redis plain", size, redis));
  } catch (error) {
    rows.push({ system: "Engram Redis plain", size, skipped: `no Redis at ${URL}: ${error}` });
  } finally {
    const cleanup = redis();
    await cleanup
      .open()
      .then(() => cleanup.drop())
      .catch(() => undefined);
    await cleanup.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  if (wanted("LangGraph InMemoryStore")) rows.push(await langGraph(size));
  if (wanted("Mastra LibSQLVector")) rows.push(await mastra(size));
  if (wanted("LangChain RedisVectorStore")) rows.push(await langChainRedis(size));
  if (wanted("mem0 OSS")) rows.push(await mem0(size));
  for (const row of rows.filter((each) => each.size === size)) progress(row);
}

const ms = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(2));
const pair = (value: { p50: number; p95: number } | undefined) =>
  value ? `${ms(value.p50)} / ${ms(value.p95)}` : "-";
const header = [
  "system",
  "memories",
  "ingest/s",
  "semantic p50 / p95 ms",
  "recall@10",
  "hybrid p50 / p95 ms",
  "kind filter (10%) p50 / p95 ms",
  "filtered recall@10",
  "first answer ms (after ingest / after reopen)",
  "first hybrid answer ms (in process / after reopen)",
  "index memory MB",
  "p95 vs Engram's best",
];
log(
  `\n${DIMENSIONS}-d clustered synthetic vectors, one namespace, top-10, ${QUERIES} queries (LangGraph 50) after ${WARM_UP} untimed, embedding excluded\n`,
);
log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
for (const row of rows) {
  if (row.skipped) {
    log(`| ${row.system} | ${row.size.toLocaleString("en")} | skipped: ${row.skipped} |`);
    continue;
  }
  const best = Math.min(
    ...rows
      .filter((other) => other.size === row.size && other.system.startsWith("Engram"))
      .flatMap((other) => (other.semantic ? [other.semantic.p95] : [])),
  );
  log(
    `| ${[
      row.system,
      row.size.toLocaleString("en"),
      row.ingestPerSecond === undefined
        ? "-"
        : Math.round(row.ingestPerSecond).toLocaleString("en"),
      pair(row.semantic),
      row.recallAt10?.toFixed(3) ?? "-",
      pair(row.hybrid),
      pair(row.filtered),
      row.filteredRecallAt10?.toFixed(3) ?? "-",
      `${ms(row.firstAnswerMs)} / ${ms(row.reopenFirstAnswerMs)}`,
      `${ms(row.firstHybridMs)} / ${ms(row.reopenHybridMs)}`,
      row.indexMb === undefined ? "-" : row.indexMb.toFixed(0),
      row.semantic && Number.isFinite(best) ? `${(row.semantic.p95 / best).toFixed(1)}x` : "-",
    ].join(" | ")} |`,
  );
}
if (JSON_OUTPUT) console.log(JSON.stringify({ dimensions: DIMENSIONS, queries: QUERIES, rows }));
