// LangGraph checkpointers: put and getTuple latency (p50/p95) for 1 KB and 50 KB states, with
// every saver holding 10k threads × 20 checkpoints while it is measured.
// Run: pnpm --filter @engram/bench bench:langgraph [--threads N] [--checkpoints N] [--sample N]
// REDIS_URL (default redis://127.0.0.1:6379) and POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/test) say where the servers are.
import { parseArgs } from "node:util";
import {
  openMemory,
  openPostgres,
  openRedis,
  openSqlite,
  type SaverUnderTest,
} from "./langgraph/savers.ts";
import { pool, writeThread } from "./langgraph/workload.ts";
import { percentile } from "./lib/corpus.ts";

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: "10000" },
    checkpoints: { type: "string", default: "20" },
    sample: { type: "string" },
  },
});
const THREADS = Number(args.threads);
const CHECKPOINTS = Number(args.checkpoints);
// Timing every thread of a 10k-thread store would take the Postgres saver alone an hour at
// 50 KB; a sample measured on top of a full store gives the same per-operation figures.
const SAMPLE = Math.min(THREADS, Number(args.sample ?? 500));
for (const [name, value] of [
  ["threads", THREADS],
  ["checkpoints", CHECKPOINTS],
  ["sample", SAMPLE],
] as const) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
}
const WARMUP = 20;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_URL = process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SIZES = [
  ["1 KB", 1024],
  ["50 KB", 50 * 1024],
] as const;
const SAVERS: (() => Promise<SaverUnderTest>)[] = [
  () => openRedis(REDIS_URL),
  openMemory,
  openSqlite,
  () => openPostgres(POSTGRES_URL),
];

type Figures = { put: [number, number]; get: [number, number] };
const results = new Map<string, Map<string, Figures>>(); // size -> saver -> figures

for (const open of SAVERS) {
  const subject = await open();
  try {
    // The store is filled first with the threads that are not measured, at 1 KB a state.
    const fillStarted = performance.now();
    await pool(THREADS - SAMPLE, subject.fillConcurrency, (index) =>
      writeThread(subject.saver, `fill-${index}`, CHECKPOINTS, "f".repeat(1024)),
    );
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    console.error(
      `${subject.name}: filled ${THREADS - SAMPLE} threads × ${CHECKPOINTS} in ${fillSeconds.toFixed(0)} s`,
    );
    for (const [label, bytes] of SIZES) {
      const timings = { puts: [] as number[], gets: [] as number[] };
      const text = "x".repeat(bytes);
      // Untimed threads first: JIT, connection pools, prepared statements and scripts warm up.
      for (let index = 0; index < WARMUP; index += 1) {
        await writeThread(subject.saver, `warmup-${index}`, CHECKPOINTS, text, {
          puts: [],
          gets: [],
        });
        await subject.saver.deleteThread(`warmup-${index}`);
      }
      for (let index = 0; index < SAMPLE; index += 1) {
        await writeThread(subject.saver, `measured-${index}`, CHECKPOINTS, text, timings);
      }
      // The next size writes its sample into a store of exactly THREADS threads again.
      for (let index = 0; index < SAMPLE; index += 1) {
        await subject.saver.deleteThread(`measured-${index}`);
      }
      const bySaver = results.get(label) ?? new Map<string, Figures>();
      bySaver.set(subject.name, {
        put: [percentile(timings.puts, 50), percentile(timings.puts, 95)],
        get: [percentile(timings.gets, 50), percentile(timings.gets, 95)],
      });
      results.set(label, bySaver);
      console.error(`${subject.name}: ${label} measured`);
    }
  } finally {
    await subject.close();
  }
}

const ms = (value: number) => value.toFixed(3);
const times = (other: number, redis: number) => `${(other / redis).toFixed(2)}×`;
console.log(
  `\n${THREADS.toLocaleString("en")} threads × ${CHECKPOINTS} checkpoints in every saver while measured: ` +
    `${(THREADS - SAMPLE).toLocaleString("en")} threads filled beforehand with 1 KB states, then ` +
    `${SAMPLE.toLocaleString("en")} threads × ${CHECKPOINTS} checkpoints written at the measured size, ` +
    `each put followed by a getTuple of the latest checkpoint (${(SAMPLE * CHECKPOINTS).toLocaleString("en")} of each timed per size and saver). Latency in ms.\n`,
);
console.log("| state | saver | put p50 | put p95 | getTuple p50 | getTuple p95 |");
console.log("|---|---|---|---|---|---|");
for (const [label, bySaver] of results) {
  for (const [name, figures] of bySaver) {
    console.log(`| ${label} | ${name} | ${[...figures.put, ...figures.get].map(ms).join(" | ")} |`);
  }
}
console.log("\nHow many times faster RedisSaver is (the other saver's latency / RedisSaver's):\n");
console.log("| state | vs | put p50 | put p95 | getTuple p50 | getTuple p95 |");
console.log("|---|---|---|---|---|---|");
for (const [label, bySaver] of results) {
  const redis = bySaver.get("RedisSaver")!;
  for (const [name, other] of bySaver) {
    if (name === "RedisSaver") continue;
    const cells = [0, 1].flatMap((i) => [
      times(other.put[i]!, redis.put[i]!),
      times(other.get[i]!, redis.get[i]!),
    ]);
    console.log(`| ${label} | ${name} | ${cells[0]} | ${cells[2]} | ${cells[1]} | ${cells[3]} |`);
  }
}
console.log("\nTargets:");
for (const [label, bySaver] of results) {
  const redis = bySaver.get("RedisSaver")!;
  const postgres = bySaver.get("PostgresSaver")!;
  const fast = redis.put[0] <= 1 && redis.get[0] <= 1;
  const ahead = postgres.put[0] / redis.put[0] >= 3 && postgres.get[0] / redis.get[0] >= 3;
  console.log(
    `- ${label}: p50 ≤ 1 ms for put and getTuple: ${fast ? "met" : "MISSED"} (${ms(redis.put[0])} / ${ms(redis.get[0])}); ` +
      `≥ 3× faster than PostgresSaver at p50: ${ahead ? "met" : "MISSED"} ` +
      `(put ${times(postgres.put[0], redis.put[0])}, getTuple ${times(postgres.get[0], redis.get[0])})`,
  );
}
