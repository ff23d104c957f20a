import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, redisBackend, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { startServer } from "../serve/start-server.js";
import { startTestServer, TEST_BACKEND, type TestServer } from "../testing/test-server.js";

// Issue 14, items 5 and 6: driver messages (hosts, ECONNRESET, LOADING) reached clients as the
// error text, an unreachable store was a 500, and a client that aborted a request was logged
// as a 500.

describe("an unreachable store", () => {
  it("is a 503 BACKEND_UNAVAILABLE with a generic message; the detail goes to the log", async () => {
    const memory = createMemory({
      backend: redisBackend({ url: "redis://user:secret@127.0.0.1:1" }, { log: () => undefined }),
      embedder: createTestEmbedder(),
    });
    const server = await startServer({ memory, port: 0, rateLimit: false });
    const logged: string[] = [];
    const error = vi.spyOn(console, "error").mockImplementation((...args) => {
      logged.push(args.map(String).join(" "));
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    onTestFinished(async () => {
      error.mockRestore();
      warn.mockRestore();
      await server.close();
      await memory.close();
    });
    const response = await fetch(`${server.url}/v1/memories?within=t`);
    const body = (await response.json()) as { code: string; message: string };
    expect(response.status).toBe(503);
    expect(body.code).toBe("BACKEND_UNAVAILABLE");
    expect(body.message).toBe("The store is unavailable; retry later.");
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|secret|redis:/);
    expect(logged.join("\n")).toMatch(/Could not connect to Redis/);
  });
});

describe("a client that aborts its request", () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer();
    key = await server.key(["aborts"], ["read", "write"]);
  });
  afterAll(() => server.close());

  it("is not logged as a server failure, and nothing is written", async () => {
    const logged: unknown[] = [];
    const error = vi.spyOn(console, "error").mockImplementation((...args) => {
      logged.push(args);
    });
    onTestFinished(() => error.mockRestore());
    const { port } = new URL(server.url);
    for (let round = 0; round < 5; round++) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), "127.0.0.1", () => {
          socket.write(
            [
              "POST /v1/memories HTTP/1.1",
              "Host: 127.0.0.1",
              `Authorization: Bearer ${key}`,
              "Content-Type: application/json",
              "Content-Length: 5000",
              "",
              '{"content": "cut sh',
            ].join("\r\n"),
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
    }
    // The server is still healthy, and saw each abort as the client's doing.
    expect((await server.request("GET", "/healthz")).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logged).toEqual([]);
    expect((await server.memory.list({ within: ["aborts"] })).memories).toEqual([]);
  });
});

describe.runIf(TEST_BACKEND === "sqlite")("a SQLite store that cannot be opened", () => {
  it("is a 5xx with a generic message; its path and SQLite's text go to the log only", async () => {
    const directory = await mkdtemp(join(tmpdir(), "engram-unopenable-"));
    // A directory where the database file should be: SQLite cannot open it.
    const path = join(directory, "memory.db");
    await mkdir(path);
    const memory = createMemory({
      backend: sqliteBackend({ path }),
      embedder: createTestEmbedder(),
    });
    const server = await startServer({ memory, port: 0, rateLimit: false });
    const logged: string[] = [];
    const error = vi.spyOn(console, "error").mockImplementation((...args) => {
      logged.push(args.map((arg) => String((arg as Error)?.message ?? arg)).join(" "));
    });
    onTestFinished(async () => {
      error.mockRestore();
      await server.close();
      await memory.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    });
    const response = await fetch(`${server.url}/v1/memories?within=t`);
    const body = (await response.json()) as { code: string; message: string };
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(body.message).toMatch(
      /^The (store is unavailable; retry later|server failed to handle this request)\.$/,
    );
    expect(JSON.stringify(body)).not.toContain(directory);
    expect(JSON.stringify(body)).not.toMatch(/sqlite|unable to open|EISDIR/i);
    expect(logged.join("\n")).toContain("failed");
  });
});
