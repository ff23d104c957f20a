import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory } from "@engram/core";
import { expect, it, onTestFinished } from "vitest";
import { startServer } from "../serve/start-server.js";
import { testBackend } from "../testing/test-server.js";

// Issue 14, item 7: one 31 KB memory took 27 s to store and /healthz waited 23 s behind it, as
// the offline encoder ran on the event loop. It now runs in a worker thread, and long text is
// embedded in windows (bench:embed prints the times).

const SENTENCES = [
  "The release train leaves every second Tuesday after the regression suite is green.",
  "On-call engineers hand over at nine with a written summary of open incidents.",
  "Customer data never leaves the EU region, backups included.",
];

function longText(characters: number, seed: number): string {
  let text = "";
  for (let i = seed; text.length < characters; i++) {
    text += `${SENTENCES[i % SENTENCES.length]} (${i}) `;
  }
  return text.slice(0, characters);
}

it("answers /healthz while it embeds a batch of 32,000-character memories", async () => {
  const directory = await mkdtemp(join(tmpdir(), "engram-large-"));
  const store = testBackend(directory);
  // The default embedder: the offline encoder, as `engram serve` runs it.
  const memory = createMemory({ backend: store.backend });
  const server = await startServer({ memory, port: 0, rateLimit: false });
  onTestFinished(async () => {
    await server.close();
    await memory.close();
    await store.drop();
    await rm(directory, { recursive: true, force: true });
  });
  const memories = Array.from({ length: 8 }, (_, i) => ({
    namespace: ["large"],
    content: longText(32_000, i),
  }));
  let stored = false;
  const storing = fetch(`${server.url}/v1/memories`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ memories }),
  }).then((response) => {
    stored = true;
    return response;
  });
  // Twenty health checks, one after another, all answered before the batch is stored: on the
  // event loop, the encoder held every one of them behind the whole batch.
  for (let i = 0; i < 20; i++) {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    await health.arrayBuffer();
  }
  expect(stored).toBe(false);
  const response = await storing;
  expect(response.status).toBe(201);
  expect((await memory.list({ within: [["large"]], limit: 10 })).memories).toHaveLength(8);
});
