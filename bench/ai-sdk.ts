// @engram/ai-sdk: what memoryMiddleware adds to a model call, against the recall it makes.
// Run: pnpm --filter @engram/bench bench:ai-sdk [-- --backend redis] [-- --json]
//
// A mock model (the AI SDK's own, from `ai/test`) answers at once, so a call's time is the SDK's
// plus the middleware's. Each query runs three ways, in turns: the bare model, the model wrapped
// with the middleware, and `memory.context()` alone (the recall the middleware makes). The
// overhead of a call is its wrapped time minus its bare time. Target: overhead p95 <= recall
// p95 + 1 ms, i.e. everything but the recall costs under a millisecond. The last column takes
// the recall out of each call directly (its time inside that very call), which a shared,
// noisy machine blurs far less. Turns are appended to the thread after each call; the bench
// waits for those writes between calls, untimed.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { memoryMiddleware } from "@engram/ai-sdk";
import { createMemory, type Memory, redisBackend, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import * as ai6 from "ai";
import * as ai6Test from "ai/test";
import * as ai7 from "ai-v7";
import * as ai7Test from "ai-v7/test";
import { percentile, sentences } from "./lib/corpus.ts";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string", default: "sqlite" },
    json: { type: "boolean", default: false },
    memories: { type: "string", default: "10000" },
    queries: { type: "string", default: "300" },
  },
});
if (args.backend !== "sqlite" && args.backend !== "redis") {
  console.error(`--backend must be sqlite or redis, not ${args.backend}`);
  process.exit(1);
}
const SIZE = Number(args.memories);
const QUERIES = Number(args.queries);
const MAX_TOKENS = 1000;
const namespace = ["acme", "users", "alice"];

async function openMemory(): Promise<{ memory: Memory; cleanup: () => Promise<void> }> {
  // 512-d like the offline encoder, but hashed: the bench times Engram, not a model.
  const embedder = createTestEmbedder({ dimensions: 512 });
  if (args.backend === "redis") {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error("--backend redis needs REDIS_URL");
    const prefix = `bench-aisdk-${randomUUID().slice(0, 8)}`;
    const backend = redisBackend({ url }, { prefix, log: () => undefined });
    const memory = createMemory({ backend, embedder });
    return {
      memory,
      cleanup: async () => {
        await backend.drop();
        await memory.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-aisdk-"));
  const memory = createMemory({
    backend: sqliteBackend({ path: join(dir, "memory.db") }),
    embedder,
  });
  return {
    memory,
    cleanup: async () => {
      await memory.close();
      rmSync(dir, { recursive: true });
    },
  };
}

const { memory, cleanup } = await openMemory();
const texts = sentences(SIZE, 1);
for (let i = 0; i < texts.length; i += 500) {
  await memory.remember(
    texts.slice(i, i + 500).map((content, j) => ({
      namespace: [...namespace, `topic-${(i + j) % 10}`],
      content,
    })),
  );
}
const queries = sentences(QUERIES, 7).map(
  (text) => `What do you remember about ${text.toLowerCase()}?`,
);

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};
const reply = {
  content: [{ type: "text", text: "Noted." }],
  finishReason: { unified: "stop", raw: "stop" },
  usage,
  warnings: [],
};
const streamParts = () => [
  { type: "stream-start", warnings: [] },
  { type: "text-start", id: "t" },
  { type: "text-delta", id: "t", delta: "Noted." },
  { type: "text-end", id: "t" },
  { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
];

interface Major {
  name: string;
  call: (model: unknown, prompt: string, stream: boolean) => Promise<unknown>;
  model: () => unknown;
  wrap: (model: unknown, middleware: unknown) => unknown;
}
const majors: Major[] = [
  {
    name: "ai 6",
    model: () =>
      new ai6Test.MockLanguageModelV3({
        doGenerate: async () => reply as never,
        doStream: async () => ({
          stream: ai6Test.convertArrayToReadableStream(streamParts() as never),
        }),
      }),
    wrap: (model, middleware) =>
      ai6.wrapLanguageModel({ model: model as never, middleware: middleware as never }),
    call: async (model, prompt, stream) =>
      stream
        ? await ai6.streamText({ model: model as never, prompt }).text
        : (await ai6.generateText({ model: model as never, prompt })).text,
  },
  {
    name: "ai 7",
    model: () =>
      new ai7Test.MockLanguageModelV4({
        doGenerate: async () => reply as never,
        doStream: async () => ({
          stream: ai7Test.convertArrayToReadableStream(streamParts() as never),
        }),
      }),
    wrap: (model, middleware) =>
      ai7.wrapLanguageModel({ model: model as never, middleware: middleware as never }),
    call: async (model, prompt, stream) =>
      stream
        ? await ai7.streamText({ model: model as never, prompt }).text
        : (await ai7.generateText({ model: model as never, prompt })).text,
  },
];

// The memory the middleware uses, with its context() calls timed: a call's overhead minus the
// time of the recall inside it is what the middleware itself costs, measured in the same call.
let insideRecall = 0;
const timedMemory = new Proxy(memory, {
  get(target, property, receiver) {
    if (property !== "context") return Reflect.get(target, property, receiver);
    return async (options: Parameters<Memory["context"]>[0]) => {
      const started = performance.now();
      try {
        return await target.context(options);
      } finally {
        insideRecall += performance.now() - started;
      }
    };
  },
});

const ms = (samples: number[], p: number) => percentile(samples, p);
const rows: Array<Record<string, string | number>> = [];
let failures = 0;
const failureReasons = new Map<string, number>();
for (const major of majors) {
  for (const stream of [false, true]) {
    const middleware = memoryMiddleware({
      memory: timedMemory,
      namespace,
      threadId: `bench-${major.name}-${stream}`,
      maxTokens: MAX_TOKENS,
      onError: (error, info) => {
        failures++;
        const reason = `${info.phase}: ${error instanceof Error ? error.message : String(error)}`;
        failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
      },
    });
    const bare = major.model();
    const wrapped = major.wrap(major.model(), middleware);
    const overhead: number[] = [];
    const wrappedTimes: number[] = [];
    const recall: number[] = [];
    const own: number[] = [];
    const timeRecall = async (query: string) => {
      const started = performance.now();
      await memory.context({ within: namespace, query, maxTokens: MAX_TOKENS });
      recall.push(performance.now() - started);
    };
    for (const [index, query] of [...queries.slice(0, 20), ...queries].entries()) {
      const warm = index < 20;
      // Alternate which of the two recalls comes first, so neither always meets a warm cache.
      if (index % 2 === 0 && !warm) await timeRecall(query);
      let started = performance.now();
      await major.call(bare, query, stream);
      const bareTime = performance.now() - started;
      insideRecall = 0;
      started = performance.now();
      await major.call(wrapped, query, stream);
      const wrappedTime = performance.now() - started;
      const recallInside = insideRecall;
      await middleware.flush();
      if (index % 2 === 1 && !warm) await timeRecall(query);
      if (warm) continue;
      wrappedTimes.push(wrappedTime);
      overhead.push(wrappedTime - bareTime);
      own.push(wrappedTime - bareTime - recallInside);
    }
    const overheadP95 = ms(overhead, 95);
    const recallP95 = ms(recall, 95);
    rows.push({
      major: major.name,
      call: stream ? "streamText" : "generateText",
      memories: SIZE,
      wrappedP50: ms(wrappedTimes, 50),
      wrappedP95: ms(wrappedTimes, 95),
      overheadP50: ms(overhead, 50),
      overheadP95,
      recallP50: ms(recall, 50),
      recallP95,
      marginP95: overheadP95 - recallP95,
      ownP50: ms(own, 50),
      ownP95: ms(own, 95),
      meetsTarget: overheadP95 <= recallP95 + 1 ? "yes" : "no",
    });
  }
}
await cleanup();

const where = args.backend === "redis" ? "Redis" : "embedded SQLite";
if (args.json) {
  console.log(
    JSON.stringify({
      backend: args.backend,
      memories: SIZE,
      queries: QUERIES,
      maxTokens: MAX_TOKENS,
      errors: failures,
      failureReasons: Object.fromEntries(failureReasons),
      rows,
    }),
  );
} else {
  console.log(
    `\nmemoryMiddleware on a mock model, ${SIZE.toLocaleString("en")} memories in one user's subtree (${where}, 512-d), ${QUERIES} queries, block <= ${MAX_TOKENS} tokens; ms\n`,
  );
  console.log(
    "| major | call | with middleware p50 / p95 | overhead p50 / p95 | recall p50 / p95 | overhead p95 - recall p95 | target (<= 1 ms) | overhead without its own recall p50 / p95 |\n|---|---|---|---|---|---|---|---|",
  );
  const f = (value: string | number) => Number(value).toFixed(2);
  for (const row of rows) {
    console.log(
      `| ${row.major} | ${row.call} | ${f(row.wrappedP50!)} / ${f(row.wrappedP95!)} | ${f(row.overheadP50!)} / ${f(row.overheadP95!)} | ${f(row.recallP50!)} / ${f(row.recallP95!)} | ${f(row.marginP95!)} | ${row.meetsTarget} | ${f(row.ownP50!)} / ${f(row.ownP95!)} |`,
    );
  }
  if (failures > 0) {
    console.log(`\nonError was called ${failures} times (the calls went on):`);
    for (const [reason, count] of failureReasons) console.log(`  ${count} x ${reason}`);
  }
}
