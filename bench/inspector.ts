// The inspector (/ui) on big namespaces: how long the page takes to show the tree and the first
// page of memories, and how long a search takes to come back with its score bars, in Debian's
// Chromium (headless) against `startServer` over SQLite with core's test embedder. Also the
// API calls behind them, timed alone.
// Run: pnpm --filter @engram/bench bench:inspector [--json]   (SIZES=10000,100000 by default)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { fileKeyStore, startServer } from "@engram/server";
import { chromium } from "playwright-core";
import { percentile, sentences } from "./lib/corpus.ts";

const SIZES = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
const LOADS = 5;
const SEARCHES = 10;
const json = process.argv.includes("--json");
const KINDS = ["fact", "preference", "episode", "task"];

const browser = await chromium.launch({
  executablePath: process.env.ENGRAM_CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
});

interface Row {
  memories: number;
  namespaces: number;
  apiNamespacesMs: number;
  apiListMs: number;
  apiSearchMs: number;
  pageLoadP50Ms: number;
  pageLoadP95Ms: number;
  searchP50Ms: number;
  searchP95Ms: number;
}

const median = (samples: number[]) => percentile(samples, 50);

async function measure(size: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-inspector-"));
  const memory = createMemory({
    backend: sqliteBackend({ path: join(dir, "memory.db") }),
    embedder: createTestEmbedder(),
    dedup: false,
  });
  const texts = sentences(size, 7);
  const namespaceOf = (i: number) => ["bench", `team-${i % 20}`, `agent-${i % 7}`];
  for (let i = 0; i < texts.length; i += 1000) {
    await memory.remember(
      texts.slice(i, i + 1000).map((content, j) => ({
        namespace: namespaceOf(i + j),
        content,
        kind: KINDS[(i + j) % KINDS.length]!,
      })),
    );
  }
  const keyStore = fileKeyStore({ path: join(dir, "keys.json") });
  const { secret } = await keyStore.create({ root: ["bench"], scopes: ["read", "write"] });
  const server = await startServer({ memory, keyStore, port: 0, rateLimit: false });
  const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
  const timed = async (path: string, body?: unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const begin = performance.now();
      const response = await fetch(`${server.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      samples.push(performance.now() - begin);
    }
    return median(samples);
  };
  const apiNamespacesMs = await timed("/v1/namespaces");
  const apiListMs = await timed("/v1/memories?limit=50");
  const apiSearchMs = await timed("/v1/search", {
    query: "Who moved the deployment window?",
    limit: 20,
    explain: true,
  });

  const context = await browser.newContext({ viewport: { width: 1360, height: 760 } });
  // The key goes where the page keeps it: this tab's sessionStorage, never the URL.
  await context.addInitScript((key) => sessionStorage.setItem("engram.apiKey", key), secret);
  const page = await context.newPage();
  const loads: number[] = [];
  for (let i = 0; i < LOADS + 1; i++) {
    const begin = performance.now();
    await page.goto(`${server.url}/ui`);
    await page.locator('[data-testid="tree-node"][data-path=""]').waitFor();
    await page.getByTestId("memory-row").first().waitFor();
    if (i > 0) loads.push(performance.now() - begin); // the first load warms caches
  }
  const namespaces = await page.getByTestId("tree-node").count();
  await page.getByRole("tab", { name: "search" }).click();
  const queries = sentences(SEARCHES + 1, 11).map((text) => text.split(" (")[0]!);
  const searches: number[] = [];
  for (const [i, query] of queries.entries()) {
    await page.getByLabel("query").fill(query);
    const answered = page.waitForResponse((response) => response.url().endsWith("/v1/search"));
    const begin = performance.now();
    await page.getByRole("button", { name: "Search" }).click();
    const { memories } = (await (await answered).json()) as { memories: { id: string }[] };
    // Done when the page shows the answer's best result with its bars.
    await page
      .locator(`[data-testid="result"][data-id="${memories[0]?.id}"] [data-testid="score-bars"]`)
      .first()
      .waitFor();
    if (i > 0) searches.push(performance.now() - begin);
  }
  await context.close();
  await server.close();
  await memory.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    memories: size,
    namespaces,
    apiNamespacesMs,
    apiListMs,
    apiSearchMs,
    pageLoadP50Ms: median(loads),
    pageLoadP95Ms: percentile(loads, 95),
    searchP50Ms: median(searches),
    searchP95Ms: percentile(searches, 95),
  };
}

const rows: Row[] = [];
for (const size of SIZES) rows.push(await measure(size));
await browser.close();

if (json) {
  console.log(JSON.stringify({ bench: "inspector", backend: "sqlite", rows }));
} else {
  const f = (value: number) => value.toFixed(0);
  console.log("The inspector in headless Chromium (SQLite, test embedder; ms)");
  console.log("");
  console.log(
    "| memories | tree nodes | GET /v1/namespaces | GET /v1/memories (50) | POST /v1/search (explain) | page load p50 | page load p95 | search in page p50 | search in page p95 |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const row of rows) {
    console.log(
      `| ${row.memories} | ${row.namespaces} | ${f(row.apiNamespacesMs)} | ${f(row.apiListMs)} | ${f(row.apiSearchMs)} | ${f(row.pageLoadP50Ms)} | ${f(row.pageLoadP95Ms)} | ${f(row.searchP50Ms)} | ${f(row.searchP95Ms)} |`,
    );
  }
}
