import { randomUUID } from "node:crypto";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { dropRedisPrefix } from "../../testing/redis-global-setup.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { redisBackend } from "./redis-backend.js";

// Issue 14, item 6: a batch whose EXEC reply was lost was reported as failed although it had
// committed.

const url = inject("redisUrl");

/**
 * A TCP proxy in front of the test Redis. Once armed, the first connection that sends EXEC has
 * it delivered, and is cut as soon as Redis answers, so the reply never reaches the client.
 */
async function execReplyDropper() {
  const target = new URL(url);
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let cutAfterReply = false;
    client.on("data", (chunk) => {
      if (armed && /\r\nEXEC\r\n/i.test(chunk.toString("latin1"))) {
        armed = false;
        cutAfterReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (cutAfterReply && /\+OK|\*/.test(chunk.toString("latin1"))) {
        dropped++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on("error", () => b.destroy());
      a.on("close", () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    arm: () => {
      armed = true;
    },
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("a lost EXEC reply", () => {
  it("is not reported as a failure when the transaction committed, and a retry adds nothing", async () => {
    const proxy = await execReplyDropper();
    const prefix = `test-${randomUUID()}`;
    const memory = createMemory({
      backend: redisBackend({ url: proxy.url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
    });
    onTestFinished(async () => {
      await memory.close();
      await proxy.close();
      await dropRedisPrefix(url, prefix);
    });
    const warn = console.warn;
    console.warn = () => undefined;
    onTestFinished(() => {
      console.warn = warn;
    });
    await memory.remember({ namespace: ["t"], content: "before" });
    proxy.arm();
    const batch = [
      { namespace: ["t"], content: "committed but unanswered" },
      { namespace: ["t"], content: "second of the batch" },
    ];
    const results = await memory.remember(batch);
    expect(proxy.dropped()).toBe(1);
    expect(results.map((result) => result.status)).toEqual(["created", "created"]);
    // A client that saw a failure would retry: that must not duplicate.
    const retried = await memory.remember(batch);
    expect(retried.map((result) => result.id)).toEqual(results.map((result) => result.id));
    const listed = await memory.list({ namespace: ["t"], limit: 10 });
    expect(listed.memories.map((m) => m.content).sort()).toEqual(
      ["before", "committed but unanswered", "second of the batch"].sort(),
    );
  });
});
