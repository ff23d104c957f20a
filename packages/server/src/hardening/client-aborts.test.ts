import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropRedisPrefix } from "@engram/core/testing/redis-global-setup";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { assertBuilt, CLI_PATH } from "../testing/run-cli.js";
import { TEST_BACKEND } from "../testing/test-server.js";

// Issue 14, item 6: a client that aborted a request was logged as a 500. This runs the real
// `engram serve`, aborts requests at every stage (body half sent, request sent and not read,
// a response stream half read, an event stream left) and reads the server's whole log.

let directory: string;
let child: ChildProcess;
let url: string;
let log = "";
const prefix = `aborts-${randomUUID()}`;

beforeAll(async () => {
  assertBuilt();
  directory = await mkdtemp(join(tmpdir(), "engram-aborts-"));
  const storage =
    TEST_BACKEND === "redis" ? ["--redis", inject("redisUrl"), "--prefix", prefix] : [];
  child = spawn(process.execPath, [CLI_PATH, "serve", "--port", "0", ...storage], {
    cwd: directory,
    env: { ...process.env, ENGRAM_EMBEDDER: "test", ENGRAM_HOME: join(directory, ".engram") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const deadline = Date.now() + 20_000;
  while (!/serving .* on (http:\/\/\S+)/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve failed:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  url = /serving .* on (http:\/\/\S+)/.exec(log)![1]!;
  // Enough memories that an export is still streaming when its reader goes away.
  for (let batch = 0; batch < 10; batch++) {
    const memories = Array.from({ length: 100 }, (_, i) => ({
      namespace: ["aborts", "bulk"],
      content: `Bulk note ${batch * 100 + i}: ${"padding ".repeat(40)}`,
    }));
    const response = await fetch(`${url}/v1/memories`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ memories }),
    });
    expect(response.status).toBe(201);
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
  if (TEST_BACKEND === "redis") await dropRedisPrefix(inject("redisUrl"), prefix);
  await rm(directory, { recursive: true, force: true });
});

/** Writes raw bytes on a fresh connection, then closes it after `afterMs`, reading nothing. */
function sendAndDrop(raw: string, afterMs: number): Promise<void> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(raw);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, afterMs);
    });
    socket.on("error", reject);
  });
}

function post(path: string, body: string, declaredLength = Buffer.byteLength(body)): string {
  return [
    `POST ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Content-Type: application/json",
    "Accept: application/json, text/event-stream",
    `Content-Length: ${declaredLength}`,
    "",
    body,
  ].join("\r\n");
}

it("logs no server failure for requests their clients abort, at any stage", async () => {
  const before = log.length;
  const memories = Array.from({ length: 100 }, (_, i) => ({
    namespace: ["aborts", "late"],
    content: `Late note ${i}`,
  }));
  for (let round = 0; round < 3; round++) {
    // The body cut short: declared 5,000 bytes, a few sent; over REST and over MCP.
    await sendAndDrop(post("/v1/memories", '{"content": "cut sh', 5000), 30);
    await sendAndDrop(post("/mcp", '{"jsonrpc": "2.0", "id": 1, "meth', 5000), 30);
    // The whole request sent, the connection gone before the answer.
    await sendAndDrop(post("/v1/memories", JSON.stringify({ memories })), 0);
    await sendAndDrop(post("/v1/search", JSON.stringify({ namespace: ["aborts"], query: "x" })), 0);
    // A response stream abandoned part way: the export, and the event stream.
    const exporting = new AbortController();
    const exported = await fetch(`${url}/v1/export?within=aborts`, { signal: exporting.signal });
    await exported.body!.getReader().read();
    exporting.abort();
    const listening = new AbortController();
    const events = await fetch(`${url}/v1/events?within=aborts`, { signal: listening.signal });
    expect(events.status).toBe(200);
    listening.abort();
    // fetch's own abort, while the server works on a batch.
    const aborting = new AbortController();
    const pending = fetch(`${url}/v1/memories`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ memories }),
      signal: aborting.signal,
    }).catch((error: Error) => error);
    setTimeout(() => aborting.abort(), 5);
    await pending;
  }
  // The server still answers, and the cut body wrote nothing.
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const count = await fetch(`${url}/v1/memories?within=aborts/bulk&limit=1`);
  expect(count.status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill("SIGTERM");
  await once(child, "exit");
  const after = log.slice(before);
  // What the log holds is only ever the client's doing, never a failure of the server.
  expect(after).not.toMatch(/failed|error|500|unhandled|exception/i);
  expect(log).toMatch(/serving .* on http/);
});
