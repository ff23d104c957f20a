import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { describeMemoryContract } from "../../testing/index.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import type { MemoryEvent } from "../backend.js";
import { redisBackend } from "./redis-backend.js";

const url = inject("redisUrl");

/** Deletes every key under a test's prefix (SCAN: admin and test paths only). */
async function dropPrefix(prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  for await (const batch of client.scanIterator({ MATCH: `{${prefix}}:*`, COUNT: 500 })) {
    if (batch.length > 0) await client.del(batch);
  }
  await client.close();
}

describeMemoryContract({
  name: "redis (plain mode)",
  create() {
    const prefix = `test-${randomUUID()}`;
    return {
      open: () => redisBackend({ url }, { prefix, log: () => undefined }),
      cleanup: () => dropPrefix(prefix),
    };
  },
});

describe("redis backend", () => {
  async function setUpMemory(extra: { client?: ReturnType<typeof createClient> } = {}) {
    const prefix = `test-${randomUUID()}`;
    const backend = extra.client
      ? redisBackend({ client: extra.client as never }, { prefix, log: () => undefined })
      : redisBackend({ url }, { prefix, log: () => undefined });
    const memory = createMemory({ backend, embedder: createTestEmbedder(), dedup: false });
    onTestFinished(async () => {
      await memory.close();
      await dropPrefix(prefix);
    });
    return { memory, backend, prefix };
  }

  it("reports its mode once it is open", async () => {
    const { memory, backend } = await setUpMemory();
    await memory.list({ namespace: ["t"] });
    expect(backend.capabilities).toEqual({ mode: "plain", searchModule: expect.any(Boolean) });
  });

  it("uses the caller's client and leaves it open", async () => {
    const client = createClient({ url });
    await client.connect();
    const { memory } = await setUpMemory({ client });
    await memory.remember({ namespace: ["t"], content: "on your client" });
    await memory.close();
    expect(client.isOpen).toBe(true);
    expect(await client.ping()).toBe("PONG");
    await client.close();
  });

  it("delivers all 100 writes made while a subscriber was cut off, once each, in order", async () => {
    const { memory } = await setUpMemory();
    const seen: MemoryEvent[] = [];
    const first = await memory.subscribe({ within: ["t"] }, (event) => {
      seen.push(event);
    });
    await memory.remember({ namespace: ["t"], content: "before the cut" });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    // Kill the subscriber's own connection, as a network cut would.
    const admin = createClient({ url });
    await admin.connect();
    const clients = String(await admin.sendCommand(["CLIENT", "LIST"]));
    for (const line of clients.split("\n").filter((l) => l.includes("cmd=xread"))) {
      await admin.sendCommand(["CLIENT", "KILL", "ID", /id=(\d+)/.exec(line)![1]!]);
    }
    await first.close();
    const written = await memory.remember(
      Array.from({ length: 100 }, (_, i) => ({
        namespace: ["t", "u"],
        content: `while away ${i}`,
      })),
    );
    const resumed: MemoryEvent[] = [];
    const again = await memory.subscribe(
      { within: ["t"] },
      (event) => {
        resumed.push(event);
      },
      { since: seen[0]!.id },
    );
    await vi.waitFor(() => expect(resumed.length).toBeGreaterThanOrEqual(100), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await again.close();
    await admin.close();
    expect(resumed.map((e) => e.memoryId)).toEqual(written.map((r) => r.id));
    expect(new Set(resumed.map((e) => e.id)).size).toBe(100);
  });

  it("leaves no half-written memory when the connection dies mid-write", async () => {
    const { memory, prefix } = await setUpMemory();
    const admin = createClient({ url });
    await admin.connect();
    const batch = Array.from({ length: 300 }, (_, i) => ({
      namespace: ["t"],
      content: `item ${i} ${"x".repeat(2000)}`,
    }));
    const writing = memory.remember(batch);
    // Kill every connection of this test's writer while the batch is in flight.
    const killer = (async () => {
      for (let i = 0; i < 50; i++) {
        const list = String(await admin.sendCommand(["CLIENT", "LIST"]));
        const victims = list
          .split("\n")
          .filter((l) => /cmd=(multi|hset|del|zadd|exec|xadd|watch)/.test(l));
        for (const line of victims)
          await admin
            .sendCommand(["CLIENT", "KILL", "ID", /id=(\d+)/.exec(line)![1]!])
            .catch(() => 0);
        if (victims.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const outcome = await writing.then(
      () => "written",
      () => "failed",
    );
    await killer;
    let count = 0;
    for await (const keys of admin.scanIterator({ MATCH: `{${prefix}}:mem:*`, COUNT: 1000 }))
      count += keys.length;
    const listed = await memory.list({ namespace: ["t"], limit: 1000 }).catch(() => undefined);
    await admin.close();
    // All or nothing: either the whole batch is there, or none of it.
    expect([0, 300]).toContain(count);
    if (outcome === "written") expect(count).toBe(300);
    if (listed) expect([0, 300]).toContain(listed.memories.length);
  });
});
