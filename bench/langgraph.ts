// LangGraph checkpointers: put and getTuple latency (p50/p95) for 1 KB and 50 KB states.
// Run: pnpm --filter @engram/bench bench:langgraph   (THREADS, CHECKPOINTS and REDIS_URL tune it)
// Covers RedisSaver and MemorySaver; the SQLite and Postgres savers are not wired in yet.
import { randomUUID } from "node:crypto";
import { RedisSaver } from "@engram/langgraph";
import {
  type BaseCheckpointSaver,
  emptyCheckpoint,
  MemorySaver,
  uuid6,
} from "@langchain/langgraph-checkpoint";
import { createClient } from "redis";
import { percentile } from "./lib/corpus.ts";

const THREADS = Number(process.env.THREADS ?? 1000);
const CHECKPOINTS = Number(process.env.CHECKPOINTS ?? 20);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SIZES = [
  ["1 KB", 1024],
  ["50 KB", 50 * 1024],
] as const;

async function measure(saver: BaseCheckpointSaver, bytes: number) {
  const text = "x".repeat(bytes);
  const puts: number[] = [];
  const gets: number[] = [];
  for (let t = 0; t < THREADS; t += 1) {
    const threadId = `bench-${t}`;
    let config = { configurable: { thread_id: threadId, checkpoint_ns: "" } } as {
      configurable: Record<string, unknown>;
    };
    for (let step = 0; step < CHECKPOINTS; step += 1) {
      const checkpoint = {
        ...emptyCheckpoint(),
        id: uuid6(-1),
        channel_values: { messages: text, step },
        channel_versions: { messages: step + 1, step: step + 1 },
      };
      let started = performance.now();
      config = await saver.put(
        config,
        checkpoint,
        { source: "loop", step, parents: {} },
        {
          messages: step + 1,
          step: step + 1,
        },
      );
      puts.push(performance.now() - started);
      started = performance.now();
      await saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "" } });
      gets.push(performance.now() - started);
    }
  }
  return {
    put: [percentile(puts, 50), percentile(puts, 95)],
    get: [percentile(gets, 50), percentile(gets, 95)],
  };
}

const client = createClient({ url: REDIS_URL });
await client.connect();
const rows: string[][] = [];
for (const [label, bytes] of SIZES) {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const redis = new RedisSaver({ client, prefix });
  const results = {
    RedisSaver: await measure(redis, bytes),
    MemorySaver: await measure(new MemorySaver(), bytes),
  };
  for (let t = 0; t < THREADS; t += 1) await redis.deleteThread(`bench-${t}`);
  for (const [name, r] of Object.entries(results)) {
    rows.push([label, name, ...[...r.put, ...r.get].map((ms) => ms.toFixed(3))]);
  }
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  rows.push([
    label,
    "Redis / Memory (p50)",
    ratio(results.RedisSaver.put[0]!, results.MemorySaver.put[0]!),
    "",
    ratio(results.RedisSaver.get[0]!, results.MemorySaver.get[0]!),
    "",
  ]);
}
await client.close();

console.log(`${THREADS} threads × ${CHECKPOINTS} checkpoints, latency in ms`);
console.log("| state | saver | put p50 | put p95 | getTuple p50 | getTuple p95 |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
