// Redis backend on one node against a 3-master Redis Cluster (3 replicas), same data and the
// same node-redis in one run: remember throughput, semantic recall p50/p95 (plain mode,
// pre-embedded synthetic 384-d vectors), and how the stores' keys spread over the masters.
// Each store (one prefix, its keys under one hash tag) lives in one slot; stores spread.
// Run: pnpm --filter @engram/bench bench:cluster [--json]   (core must be built; redis-server
// and redis-cli 7 on the PATH). STORES and PER_STORE change the data size; REDIS_URL and
// REDIS_CLUSTER_URLS use existing servers instead of starting them.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { createMemory, keySlot, type Memory, redisBackend } from "@engram/core";
import { freePort } from "@engram/core/testing";
import { startRedisCluster } from "@engram/core/testing/redis-cluster";
import { percentile, sentences } from "./lib/corpus.ts";
import { clusteredVectors, syntheticEmbedder } from "./lib/vectors.ts";

const JSON_OUTPUT = process.argv.includes("--json");
const STORES = Number(process.env.STORES ?? 30);
const PER_STORE = Number(process.env.PER_STORE ?? 200);
const QUERIES = 600;
const DIMENSIONS = 384;
const NAMESPACE = ["tenant"];
const log = (line: string) => (JSON_OUTPUT ? console.error(line) : console.log(line));

const { near } = clusteredVectors(DIMENSIONS, 64);
const texts = sentences(STORES * PER_STORE, 7);
const { embedder } = syntheticEmbedder(near, DIMENSIONS);
const queries = Array.from({ length: QUERIES }, (_, i) => `cluster bench query ${i}`);

// The bench has no dependency of its own on node-redis: borrow core's.
const redis = await import(
  pathToFileURL(createRequire(import.meta.resolve("@engram/core")).resolve("redis")).href
);

async function singleNode(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  for (;;) {
    const probe = redis.createClient({ url: `redis://127.0.0.1:${port}` });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      await probe.close();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill();
    },
  };
}

interface Row {
  target: string;
  memories: number;
  writesPerSecond: number;
  recallP50Ms: number;
  recallP95Ms: number;
}

/** Opens the stores on one target and writes every memory; returns them and the throughput. */
async function fill(client: unknown, run: string) {
  const memories: Memory[] = [];
  const backends = [];
  for (let store = 0; store < STORES; store++) {
    const backend = redisBackend(
      { client: client as never },
      { prefix: `bench-cluster-${run}-${store}`, mode: "plain", log: () => undefined },
    );
    backends.push(backend);
    memories.push(createMemory({ backend, embedder, dedup: false }));
  }
  await Promise.all(backends.map((backend) => backend.open()));
  const started = performance.now();
  // Every store writes its batches at once: writes to different stores run side by side.
  await Promise.all(
    memories.map(async (memory, store) => {
      for (let i = 0; i < PER_STORE; i += 50) {
        const batch = texts.slice(store * PER_STORE + i, store * PER_STORE + i + 50);
        await memory.remember(batch.map((content) => ({ namespace: NAMESPACE, content })));
      }
    }),
  );
  const writesPerSecond = (STORES * PER_STORE) / ((performance.now() - started) / 1000);
  // Warm every store's cache.
  for (const memory of memories) await memory.recall({ namespace: NAMESPACE, query: queries[0]! });
  return { memories, backends, writesPerSecond };
}

/**
 * Times recalls round-robin over the stores, alternating between the targets query by query,
 * so that warm-up and the machine's load fall on both alike.
 */
async function recallTimes(targets: Awaited<ReturnType<typeof fill>>[]): Promise<number[][]> {
  const samples = targets.map(() => [] as number[]);
  for (const [i, query] of queries.entries()) {
    for (const [t, target] of targets.entries()) {
      const started = performance.now();
      await target.memories[i % STORES]!.recall({ namespace: NAMESPACE, query, limit: 10 });
      samples[t]!.push(performance.now() - started);
    }
  }
  return samples;
}

const node = await singleNode();
const cluster = await startRedisCluster();
const run = Date.now().toString(36);
const rows: Row[] = [];
const spread: Record<string, number> = {};
try {
  const single = redis.createClient({ url: node.url });
  await single.connect();
  const clustered = redis.createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
  await clustered.connect();
  const targets = [
    { name: "single node", ...(await fill(single, `${run}-single`)) },
    { name: "cluster (3 masters)", ...(await fill(clustered, `${run}-cluster`)) },
  ];
  const samples = await recallTimes(targets);
  for (const [t, target] of targets.entries()) {
    rows.push({
      target: target.name,
      memories: STORES * PER_STORE,
      writesPerSecond: target.writesPerSecond,
      recallP50Ms: percentile(samples[t]!, 50),
      recallP95Ms: percentile(samples[t]!, 95),
    });
    for (const backend of target.backends) await backend.drop();
    for (const memory of target.memories) await memory.close();
  }
  // Where the stores' keys went: one slot per store, so count stores per master.
  for (let store = 0; store < STORES; store++) {
    const master = clustered.getSlotMaster(keySlot(`{bench-cluster-${run}-cluster-${store}}:`));
    spread[`${master.host}:${master.port}`] = (spread[`${master.host}:${master.port}`] ?? 0) + 1;
  }
  await single.close();
  await clustered.close();
} finally {
  await node.stop();
  await cluster.stop();
}

const ratio = rows[1]!.recallP95Ms / rows[0]!.recallP95Ms;
if (JSON_OUTPUT) {
  console.log(
    JSON.stringify({ stores: STORES, perStore: PER_STORE, rows, spread, recallP95Ratio: ratio }),
  );
} else {
  log(
    `${STORES} stores x ${PER_STORE} memories, plain mode, ${QUERIES} recalls per target, alternating`,
  );
  log("target               remember/s  recall p50  recall p95");
  for (const row of rows)
    log(
      `${row.target.padEnd(20)} ${row.writesPerSecond.toFixed(0).padStart(10)}  ${row.recallP50Ms.toFixed(2).padStart(7)} ms  ${row.recallP95Ms.toFixed(2).padStart(7)} ms`,
    );
  log(`recall p95, cluster / single node: ${ratio.toFixed(2)}x`);
  log(`stores per master: ${Object.values(spread).join(", ")}`);
}
