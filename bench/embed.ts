// The offline encoder (Universal Sentence Encoder lite): how long one memory takes to embed by
// its length, and how fast /healthz answers while a server embeds a large batch. The encoder
// runs in a worker thread, so the server's event loop stays free.
// Run: pnpm --filter @engram/bench bench:embed   (or: node bench/embed.ts [--json])
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createMemory, sqliteBackend, universalSentenceEncoder } from "@engram/core";
import { startServer } from "@engram/server";
import { percentile, sentences } from "./lib/corpus.ts";

const LENGTHS = [1_000, 8_000, 16_000, 32_000];
const REPEATS = Number(process.env.REPEATS ?? 3);
const BATCH = Number(process.env.BATCH ?? 24);
const json = process.argv.includes("--json");

function textOf(characters: number, seed: number): string {
  let text = "";
  for (const sentence of sentences(Math.ceil(characters / 40), seed)) {
    text += `${sentence}. `;
    if (text.length >= characters) break;
  }
  return text.slice(0, characters);
}

// The server side: its own process, so the client's work never counts against its event loop.
async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-embed-"));
  const memory = createMemory({ backend: sqliteBackend({ path: join(dir, "memory.db") }) });
  await memory.remember({ namespace: ["bench"], content: "warm up" });
  const server = await startServer({
    memory,
    port: 0,
    rateLimit: false,
    maxBodyBytes: 64 * 1024 * 1024,
  });
  // The server's own event loop meanwhile: its longest delay (machine load counts too).
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  console.log(server.url);
  process.stdin.resume();
  process.stdin.on("end", async () => {
    delay.disable();
    console.log(JSON.stringify({ loopDelayMaxMs: delay.max / 1e6 }));
    await server.close();
    await memory.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

interface ServerLoop {
  loopDelayMaxMs: number;
}

async function startChild(): Promise<{ url: string; stop(): Promise<ServerLoop> }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const url = (await lines.next()).value as string;
  return {
    url,
    async stop() {
      child.stdin!.end();
      const loop = JSON.parse((await lines.next()).value as string) as ServerLoop;
      await once(child, "exit");
      return loop;
    },
  };
}

// One memory at a time, each text new (no cache), the model already loaded.
async function embedTimes(): Promise<Record<number, number>> {
  const encoder = universalSentenceEncoder();
  await encoder.embed(["warm up"]);
  const medians: Record<number, number> = {};
  for (const length of LENGTHS) {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const begin = performance.now();
      await encoder.embed([textOf(length, length + i)]);
      times.push(performance.now() - begin);
    }
    medians[length] = percentile(times, 50);
  }
  await encoder.close();
  return medians;
}

// BATCH memories of 32,000 characters in one request; /healthz asked again and again meanwhile.
async function healthDuringBatch() {
  const server = await startChild();
  const body = JSON.stringify({
    memories: Array.from({ length: BATCH }, (_, i) => ({
      namespace: ["bench", "large"],
      content: textOf(32_000, 100 + i),
    })),
  });
  let stored = false;
  const begin = performance.now();
  const storing = fetch(`${server.url}/v1/memories`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  }).then(async (response) => {
    if (!response.ok) throw new Error(`storing: ${response.status} ${await response.text()}`);
    stored = true;
    return performance.now() - begin;
  });
  const health: number[] = [];
  while (!stored) {
    const asked = performance.now();
    await (await fetch(`${server.url}/healthz`)).arrayBuffer();
    health.push(performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const storeMs = await storing;
  return { storeMs, health, loop: await server.stop() };
}

async function main(): Promise<void> {
  const embedMs = await embedTimes();
  const { storeMs, health, loop } = await healthDuringBatch();
  const figures = {
    embedMs,
    batch: { memories: BATCH, characters: 32_000, storeMs },
    serverLoop: loop,
    healthz: { requests: health.length, p50Ms: percentile(health, 50), maxMs: Math.max(...health) },
  };
  if (json) {
    console.log(JSON.stringify(figures));
    return;
  }
  console.log("| characters | embed one memory (median ms) |");
  console.log("|---|---|");
  for (const length of LENGTHS) {
    console.log(`| ${length.toLocaleString("en")} | ${embedMs[length]!.toFixed(0)} |`);
  }
  console.log("");
  console.log(
    "| batch (memories x chars) | store ms | /healthz meanwhile: requests | p50 ms | max ms | server loop: longest delay ms |",
  );
  console.log("|---|---|---|---|---|---|");
  console.log(
    `| ${BATCH} x 32,000 | ${storeMs.toFixed(0)} | ${health.length} | ${figures.healthz.p50Ms.toFixed(1)} | ${figures.healthz.maxMs.toFixed(1)} | ${loop.loopDelayMaxMs.toFixed(0)} |`,
  );
}

if (process.argv.includes("--serve")) await serve();
else await main();
