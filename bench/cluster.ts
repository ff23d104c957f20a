// Redis backend on one node against a 3-master Redis Cluster (3 replicas), same data and the
// same node-redis in one run: remember throughput, semantic recall p50/p95 (plain mode,
// pre-embedded synthetic 384-d vectors), and how one store's keys spread over the masters.
// Each tenant (first namespace segment) has its own hash tag: one store's tenants spread.
// Run: pnpm --filter @engram/bench bench:cluster [--json]   (core must be built; redis-server
// and redis-cli 7 on the PATH). TENANTS and PER_TENANT (or STORES and PER_STORE, their older
// names) change the data size; REDIS_URL and REDIS_CLUSTER_URLS use existing servers instead
// of starting them (the key spread then counts every key on each master).
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { createMemory, redisBackend } from "@engram/core";
import { freePort } from "@engram/core/testing";
import { startRedisCluster } from "@engram/core/testing/redis-cluster";
import { percentile, sentences } from "./lib/corpus.ts";
import { clusteredVectors, syntheticEmbedder } from "./lib/vectors.ts";

const JSON_OUTPUT = process.argv.includes("--json");
const TENANTS = Number(process.env.TENANTS ?? process.env.STORES ?? 30);
const PER_TENANT = Number(process.env.PER_TENANT ?? process.env.PER_STORE ?? 200);
const QUERIES = 600;
const DIMENSIONS = 384;
const namespaceOf = (tenant: number) => [`tenant-${tenant}`, "users", "u"];
const log = (line: string) => (JSON_OUTPUT ? console.error(line) : console.log(line));

const { near } = clusteredVectors(DIMENSIONS, 64);
const texts = sentences(TENANTS * PER_TENANT, 7);
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

/** Opens one store on a target and writes every tenant's memories; returns it and the throughput. */
async function fill(client: unknown, run: string) {
  const backend = redisBackend(
    { client: client as never },
    { prefix: `bench-cluster-${run}`, mode: "plain", log: () => undefined },
  );
  const memory = createMemory({ backend, embedder, dedup: false });
  await backend.open();
  const started = performance.now();
  // Every tenant writes its batches at once: on a cluster, tenants on different shards run
  // side by side.
  await Promise.all(
    Array.from({ length: TENANTS }, async (_, tenant) => {
      for (let i = 0; i < PER_TENANT; i += 50) {
        const batch = texts.slice(tenant * PER_TENANT + i, tenant * PER_TENANT + i + 50);
        await memory.remember(
          batch.map((content) => ({ namespace: namespaceOf(tenant), content })),
        );
      }
    }),
  );
  const writesPerSecond = (TENANTS * PER_TENANT) / ((performance.now() - started) / 1000);
  // Warm every tenant's cache.
  for (let tenant = 0; tenant < TENANTS; tenant++)
    await memory.recall({ namespace: namespaceOf(tenant), query: queries[0]! });
  return { memory, backend, writesPerSecond };
}

/**
 * Times recalls round-robin over the tenants, alternating between the targets query by query,
 * so that warm-up and the machine's load fall on both alike.
 */
async function recallTimes(targets: Awaited<ReturnType<typeof fill>>[]): Promise<number[][]> {
  const samples = targets.map(() => [] as number[]);
  for (const [i, query] of queries.entries()) {
    for (const [t, target] of targets.entries()) {
      const started = performance.now();
      await target.memory.recall({ namespace: namespaceOf(i % TENANTS), query, limit: 10 });
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
  // Where the one store's keys went: the keys on each master.
  for (const master of clustered.masters) {
    const client = await clustered.nodeClient(master);
    spread[`${master.host}:${master.port}`] = Number(await client.sendCommand(["DBSIZE"]));
  }
  for (const [t, target] of targets.entries()) {
    rows.push({
      target: target.name,
      memories: TENANTS * PER_TENANT,
      writesPerSecond: target.writesPerSecond,
      recallP50Ms: percentile(samples[t]!, 50),
      recallP95Ms: percentile(samples[t]!, 95),
    });
    await target.backend.drop();
    await target.memory.close();
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
    JSON.stringify({
      tenants: TENANTS,
      perTenant: PER_TENANT,
      rows,
      spread,
      recallP95Ratio: ratio,
    }),
  );
} else {
  log(
    `one store, ${TENANTS} tenants x ${PER_TENANT} memories, plain mode, ${QUERIES} recalls per target, alternating`,
  );
  log("target               remember/s  recall p50  recall p95");
  for (const row of rows)
    log(
      `${row.target.padEnd(20)} ${row.writesPerSecond.toFixed(0).padStart(10)}  ${row.recallP50Ms.toFixed(2).padStart(7)} ms  ${row.recallP95Ms.toFixed(2).padStart(7)} ms`,
    );
  log(`recall p95, cluster / single node: ${ratio.toFixed(2)}x`);
  log(`keys per master: ${Object.values(spread).join(", ")}`);
}
