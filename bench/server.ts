// @engram/server overhead: search and remember through REST (with an API key, over loopback)
// against calling core in process, at 1 and 8 concurrent clients. Both sides use core's fast
// deterministic test embedder, so the difference is HTTP, auth, validation and JSON.
// Run: pnpm --filter @engram/bench bench:server   (or: node bench/server.ts)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { fileKeyStore, startServer } from "@engram/server";
import autocannon from "autocannon";
import { percentile, sentences } from "./lib/corpus.ts";

const SIZE = Number(process.env.SIZE ?? 2000);
const REQUESTS = Number(process.env.REQUESTS ?? 2000);
const CONCURRENCY = [1, 8];

const dir = mkdtempSync(join(tmpdir(), "engram-bench-server-"));
const memory = createMemory({
  backend: sqliteBackend({ path: join(dir, "memory.db") }),
  embedder: createTestEmbedder(),
});
const texts = sentences(SIZE, 1);
for (let i = 0; i < texts.length; i += 100) {
  await memory.remember(
    texts.slice(i, i + 100).map((content) => ({ namespace: ["bench", "team"], content })),
  );
}
const queries = sentences(200, 2).map((text) => `What do we know about ${text.toLowerCase()}`);
const keyStore = fileKeyStore({ path: join(dir, "keys.json") });
const { secret } = await keyStore.create({ root: ["bench"], scopes: ["read", "write"] });
const server = await startServer({ memory, keyStore, port: 0, rateLimit: false });

let counter = 0;
const searchBody = () => ({ namespace: ["team"], query: queries[counter++ % queries.length]! });
const rememberBody = () => ({
  namespace: ["load"],
  content: `Load note ${counter++} ${texts[counter % texts.length]}`,
});

interface Figures {
  perSecond: number;
  p50: number;
  p95: number;
}

async function inProcess(operation: "search" | "remember", clients: number): Promise<Figures> {
  const latencies: number[] = [];
  const perClient = Math.ceil(REQUESTS / clients);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const begin = performance.now();
        if (operation === "search") {
          const { namespace, query } = searchBody();
          await memory.recall({ namespace: ["bench", ...namespace], query });
        } else {
          const { namespace, content } = rememberBody();
          await memory.remember({ namespace: ["bench", ...namespace], content });
        }
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

async function overRest(operation: "search" | "remember", clients: number): Promise<Figures> {
  const latencies: number[] = [];
  const body = operation === "search" ? searchBody : rememberBody;
  const instance = autocannon({
    url: server.url,
    connections: clients,
    amount: REQUESTS,
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    requests: [
      {
        method: "POST",
        path: operation === "search" ? "/v1/search" : "/v1/memories",
        setupRequest: (request) => ({ ...request, body: JSON.stringify(body()) }),
      },
    ],
  });
  instance.on("response", (_client, status, _bytes, responseTime) => {
    if (status >= 400) throw new Error(`${operation} answered ${status}`);
    latencies.push(responseTime);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: result.requests.total / (result.duration || 1),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

const format = (value: number) => value.toFixed(2);
const rows: string[][] = [];
for (const operation of ["search", "remember"] as const) {
  for (const clients of CONCURRENCY) {
    // Warm both paths so neither pays first-call costs in the figures.
    await inProcess(operation, clients);
    const local = await inProcess(operation, clients);
    const rest = await overRest(operation, clients);
    rows.push([
      operation,
      String(clients),
      format(local.perSecond),
      format(rest.perSecond),
      format(local.p50),
      format(rest.p50),
      format(local.p95),
      format(rest.p95),
      format(rest.p95 / local.p95),
      operation === "search" ? (rest.p95 <= 2 * local.p95 + 2 ? "met" : "MISSED") : "-",
    ]);
  }
}

console.log(
  `@engram/server vs core in process (${SIZE} memories, ${REQUESTS} requests per row, SQLite, test embedder)`,
);
console.log("");
console.log(
  "| op | clients | in-process req/s | REST req/s | in-process p50 ms | REST p50 ms | in-process p95 ms | REST p95 ms | p95 ratio | target p95 <= 2x + 2 ms |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);

await server.close();
await memory.close();
rmSync(dir, { recursive: true, force: true });
