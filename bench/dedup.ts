// The cost of duplicate detection at ingest: 10k memories into one namespace, with dedup off,
// with exact dedup only (content hash), and with near-duplicate detection (the default).
// Run: pnpm --filter @engram/bench bench:dedup [--backend sqlite|redis]
//   (or: node bench/dedup.ts --backend redis). Redis runs in plain mode at REDIS_URL
//   (default redis://127.0.0.1:6379), under a prefix of its own that it drops afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type Backend,
  createMemory,
  type MemoryOptions,
  redisBackend,
  sqliteBackend,
} from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { sentences } from "./lib/corpus.ts";

const { values: args } = parseArgs({ options: { backend: { type: "string", default: "sqlite" } } });
if (args.backend !== "sqlite" && args.backend !== "redis") {
  console.error(`--backend must be sqlite or redis, not ${args.backend}`);
  process.exit(1);
}
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SIZE = Number(process.env.SIZE ?? 10_000);
const BATCH = 100;
const texts = sentences(SIZE, 3);
// Every 20th memory repeats an earlier one, so the dedup paths have real work to do.
for (let i = 20; i < texts.length; i += 20) texts[i] = texts[i - 7]!;

/** An empty store of the chosen backend, and how to throw it away (while open, then closed). */
function store(run: string): {
  backend: Backend;
  drop(): Promise<void>;
  remove(): void;
} {
  if (args.backend === "redis") {
    const backend = redisBackend(
      { url: REDIS_URL },
      { prefix: `engram-bench-dedup-${run}-${process.pid}`, mode: "plain", log: () => undefined },
    );
    return { backend, drop: () => backend.drop(), remove: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), "engram-dedup-"));
  return {
    backend: sqliteBackend({ path: join(dir, "memory.db") }),
    drop: async () => undefined,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

interface Run {
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process (the Redis server's are not counted). */
  cpu: number;
  stored: number;
}

async function ingest(run: string, dedup: MemoryOptions["dedup"]): Promise<Run> {
  const { backend, drop, remove } = store(run);
  const memory = createMemory({
    backend,
    embedder: createTestEmbedder({ dimensions: 384 }),
    dedup,
  });
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (let i = 0; i < texts.length; i += BATCH) {
    await memory.remember(
      texts.slice(i, i + BATCH).map((content) => ({ namespace: ["acme", "users", "u1"], content })),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpuStarted);
  let stored = 0;
  let cursor: string | undefined;
  do {
    const page = await memory.list({
      namespace: ["acme", "users", "u1"],
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    stored += page.memories.length;
    cursor = page.nextCursor;
  } while (cursor);
  await drop();
  await memory.close();
  remove();
  return { seconds, cpu: (cpuUsed.user + cpuUsed.system) / 1e6, stored };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// Rounds run the three settings in turn, so load on a shared machine hits them alike; the
// table shows each setting's median round.
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const settings = [
  ["off", false],
  ["exact (content hash)", { threshold: 1 }],
  ["near (cosine >= 0.95, default)", {}],
] as const;
const runs = new Map<string, Run[]>(settings.map(([name]) => [name, []]));
await ingest("warm-up", {});
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, dedup] of settings)
    runs.get(name)!.push(await ingest(`${round}-${name.split(" ")[0]}`, dedup));
}
const summary = new Map(
  settings.map(([name]) => {
    const list = runs.get(name)!;
    return [
      name,
      {
        seconds: median(list.map((run) => run.seconds)),
        cpu: median(list.map((run) => run.cpu)),
        stored: list[0]!.stored,
      },
    ];
  }),
);
const off = summary.get("off")!;
const where = args.backend === "redis" ? "Redis (plain mode)" : "embedded SQLite";
console.log(
  `\nIngest ${SIZE.toLocaleString("en")} memories (384-d, batches of ${BATCH}) into one namespace, ${where}; median of ${ROUNDS} rounds\n`,
);
console.log(
  "| dedup | seconds | memories/s | CPU seconds | stored | cost vs off (wall) | cost vs off (CPU) |\n|---|---|---|---|---|---|---|",
);
for (const [name, run] of summary) {
  console.log(
    `| ${name} | ${run.seconds.toFixed(2)} | ${Math.round(SIZE / run.seconds).toLocaleString("en")} | ${run.cpu.toFixed(2)} | ${run.stored.toLocaleString("en")} | ${(run.seconds / off.seconds).toFixed(2)}x | ${(run.cpu / off.cpu).toFixed(2)}x |`,
  );
}
const near = summary.get("near (cosine >= 0.95, default)")!;
console.log(
  `\nnear-duplicate detection costs ${(near.seconds / off.seconds).toFixed(2)}x ingest without dedup (wall clock)`,
);
