// Embedded (SQLite) backend: remember throughput and recall latency at 1k and 10k memories.
// Run: pnpm --filter @engram/bench bench:embedded   (or: node bench/embedded.ts)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createMemory,
  type Embedder,
  keywordTerms,
  sqliteBackend,
  universalSentenceEncoder,
} from "@engram/core";
import { percentile, sentences } from "./lib/corpus.ts";

const SIZES = (process.env.SIZES ?? "1000,10000").split(",").map(Number);
const QUERIES = 200;
const use = universalSentenceEncoder();

// Embed every text once with the real model, then serve the vectors from memory, so storage
// and search can be timed without the model in the loop.
const largest = Math.max(...SIZES);
const texts = sentences(largest, 1);
const queries = sentences(QUERIES * 2, 2).map(
  (text) => `What do we know about ${text.toLowerCase()}`,
);
// Recall embeds a query as written and as its content words; precompute both forms.
const queryTexts = queries.flatMap((query) => [query, keywordTerms(query).join(" ")]);
let started = performance.now();
const vectors = new Map<string, ArrayLike<number>>();
for (let i = 0; i < texts.length; i += 64) {
  const batch = texts.slice(i, i + 64);
  for (const [j, vector] of (await use.embed(batch)).entries()) vectors.set(batch[j]!, vector);
}
const embedMsPerText = (performance.now() - started) / texts.length;
for (let i = 0; i < queryTexts.length; i += 64) {
  const batch = queryTexts.slice(i, i + 64);
  for (const [j, vector] of (await use.embed(batch)).entries()) vectors.set(batch[j]!, vector);
}
const precomputed: Embedder = {
  model: use.model,
  dimensions: use.dimensions,
  embed: async (batch) => batch.map((text) => vectors.get(text)!),
};

const rows: string[][] = [];
for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), "engram-bench-"));
  const path = join(dir, "memory.db");
  const memory = createMemory({ backend: sqliteBackend({ path }), embedder: precomputed });
  const namespaces = ["acme", "users", "u0"];
  started = performance.now();
  for (let i = 0; i < size; i += 100) {
    await memory.remember(
      texts.slice(i, i + 100).map((content, j) => ({
        namespace: [...namespaces.slice(0, 2), `u${(i + j) % 10}`],
        content,
      })),
    );
  }
  const storeSeconds = (performance.now() - started) / 1000;

  const time = async (m: typeof memory, mode: "semantic" | "hybrid", list: string[]) => {
    await m.recall({ within: ["acme"], query: list[0]!, mode }); // warm the vector cache
    const samples: number[] = [];
    for (const query of list) {
      const t = performance.now();
      await m.recall({ within: ["acme"], query, mode, limit: 10 });
      samples.push(performance.now() - t);
    }
    return `${percentile(samples, 50).toFixed(2)} / ${percentile(samples, 95).toFixed(2)}`;
  };
  const warmQueries = queries.slice(0, QUERIES);
  const semanticExcluded = await time(memory, "semantic", warmQueries);
  const hybridExcluded = await time(memory, "hybrid", warmQueries);
  await memory.close();

  // The real model embeds each (new) query inside the timed call.
  const live = createMemory({ backend: sqliteBackend({ path }), embedder: use });
  const coldQueries = queries.slice(QUERIES).map((q, i) => `${q} (${size}-${i})`);
  const hybridIncluded = await time(live, "hybrid", coldQueries.slice(0, 100));
  await live.close();
  rmSync(dir, { recursive: true, force: true });

  rows.push([
    size.toLocaleString("en"),
    Math.round(size / storeSeconds).toLocaleString("en"),
    Math.round(1000 / (embedMsPerText + (storeSeconds * 1000) / size)).toLocaleString("en"),
    semanticExcluded,
    hybridExcluded,
    hybridIncluded,
  ]);
}

const header = [
  "memories",
  "remember/s (pre-embedded)",
  "remember/s (with USE)",
  "semantic recall p50/p95 ms (no embed)",
  "hybrid recall p50/p95 ms (no embed)",
  "hybrid recall p50/p95 ms (with embed)",
];
console.log(
  `\nEmbedded SQLite backend, ${use.model} (${use.dimensions}-d), ${QUERIES} queries, top-10\n`,
);
console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
console.log(`\nUSE embedding cost: ${embedMsPerText.toFixed(2)} ms per text in batches of 64.`);
