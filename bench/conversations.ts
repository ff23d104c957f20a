// Conversations: append one message and read the last 50 of a long thread, on the embedded
// SQLite backend and on Redis (plain mode), through the public API (validation included, no
// embedding: messages are never embedded). p50/p95 over ROUNDS timed calls each, at 10k
// messages (the targets: p50 <= 1 ms, p95 <= 3 ms) and at 100k, to show the cost does not grow
// with the thread.
// Run: pnpm --filter @engram/bench bench:conversations [--json]
//   (or: node bench/conversations.ts; core must be built). REDIS_URL picks the server (default
//   redis://127.0.0.1:6379); SIZES overrides the thread lengths, ROUNDS the timed calls.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  type Backend,
  createMemory,
  type Embedder,
  type MessageInput,
  type RedisBackend,
  redisBackend,
  sqliteBackend,
} from "@engram/core";
import { percentile, sentences } from "./lib/corpus.ts";

// The bench has no dependency of its own on node-redis: borrow core's, for the PING baseline.
const { createClient } = await import(
  pathToFileURL(createRequire(import.meta.resolve("@engram/core")).resolve("redis")).href
);

const { values } = parseArgs({ options: { json: { type: "boolean", default: false } } });
const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SIZES = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const WINDOW = 50;
const FILL_BATCH = 1000;

// Messages never reach the embedder; this one only satisfies createMemory.
const embedder: Embedder = {
  model: "bench-unused",
  dimensions: 8,
  embed: async () => {
    throw new Error("conversations are not embedded");
  },
};

const texts = sentences(1000, 11);
const message = (i: number): MessageInput => ({
  role: i % 2 === 0 ? "user" : "assistant",
  content: `${texts[i % texts.length]} ${texts[(i * 7) % texts.length]}`,
});

interface Row {
  backend: string;
  messages: number;
  /** Redis only: a bare PING's round trip, timed the same way: the floor under every call. */
  pingP50: number | undefined;
  pingP95: number | undefined;
  appendP50: number;
  appendP95: number;
  readP50: number;
  readP95: number;
  fillPerSecond: number;
}

async function measure(
  name: string,
  backend: Backend,
  size: number,
  ping?: () => Promise<unknown>,
): Promise<Row> {
  const memory = createMemory({ backend, embedder });
  const at = { namespace: ["bench", "users", "u1"], threadId: `thread-${size}` };
  let started = performance.now();
  for (let i = 0; i < size; i += FILL_BATCH) {
    await memory.messages.append({
      ...at,
      messages: Array.from({ length: Math.min(FILL_BATCH, size - i) }, (_, j) => message(i + j)),
    });
  }
  const fillPerSecond = size / ((performance.now() - started) / 1000);

  // Warm both paths (prepared statements, loaded scripts), then time one call at a time.
  for (let i = 0; i < 20; i++) {
    await memory.messages.list({ ...at, last: WINDOW });
  }
  const reads: number[] = [];
  const appends: number[] = [];
  const pings: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (ping) {
      started = performance.now();
      await ping();
      pings.push(performance.now() - started);
    }
    started = performance.now();
    await memory.messages.append({ ...at, messages: [message(size + i)] });
    appends.push(performance.now() - started);
    started = performance.now();
    const window = await memory.messages.list({ ...at, last: WINDOW });
    reads.push(performance.now() - started);
    if (window.messages.length !== WINDOW) throw new Error("short window");
  }
  await memory.close();
  return {
    backend: name,
    messages: size,
    pingP50: ping ? percentile(pings, 50) : undefined,
    pingP95: ping ? percentile(pings, 95) : undefined,
    appendP50: percentile(appends, 50),
    appendP95: percentile(appends, 95),
    readP50: percentile(reads, 50),
    readP95: percentile(reads, 95),
    fillPerSecond,
  };
}

const rows: Row[] = [];
for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-conversations-"));
  try {
    rows.push(
      await measure("SQLite (embedded)", sqliteBackend({ path: join(dir, "bench.db") }), size),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const prefix = `engram-bench-conversations-${size}-${process.pid}`;
  const redis: RedisBackend = redisBackend(
    { url: URL },
    { prefix, mode: "plain", log: () => undefined },
  );
  const client = createClient({ url: URL, RESP: 2 });
  await client.connect();
  try {
    rows.push(await measure("Redis plain", redis, size, () => client.ping()));
  } finally {
    await client.close();
    const dropper = redisBackend({ url: URL }, { prefix, log: () => undefined });
    await dropper.drop();
    await dropper.close();
  }
}

if (values.json) {
  console.log(
    JSON.stringify({ window: WINDOW, rounds: ROUNDS, targets: { p50: 1, p95: 3 }, rows }, null, 2),
  );
} else {
  const ms = (value: number) => value.toFixed(3);
  console.log(
    `Conversations: one-message append and last-${WINDOW} read, ${ROUNDS} timed calls each, public API, no embedding (targets at 10k: p50 <= 1 ms, p95 <= 3 ms)\n`,
  );
  const header = [
    "backend",
    "messages in thread",
    "append p50 / p95 ms",
    `last-${WINDOW} read p50 / p95 ms`,
    "bulk fill msg/s",
    "PING p50 / p95 ms",
  ];
  console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const row of rows) {
    console.log(
      `| ${row.backend} | ${row.messages.toLocaleString("en")} | ${ms(row.appendP50)} / ${ms(row.appendP95)} | ${ms(row.readP50)} / ${ms(row.readP95)} | ${Math.round(row.fillPerSecond).toLocaleString("en")} | ${row.pingP50 === undefined ? "n/a" : `${ms(row.pingP50)} / ${ms(row.pingP95!)}`} |`,
    );
  }
}
