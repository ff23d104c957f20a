import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { describeMemoryContract } from "../../testing/index.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import type { MemoryEvent } from "../backend.js";
import { redisKeys } from "./keys.js";
import { redisBackend } from "./redis-backend.js";
import { detectSearchModule } from "./search-module.js";

const url = inject("redisUrl");

const newClient = (options: { name?: string } = {}) => createClient({ url, ...options });
type TestClient = ReturnType<typeof newClient>;

async function withAdmin<T>(work: (admin: TestClient) => Promise<T>) {
  const admin = newClient();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

// The backend's own check, on a default (RESP3) client, as a caller's would be.
const searchModule = await withAdmin((admin) => detectSearchModule(admin as never));
if (!searchModule) {
  console.warn(
    `[engram] Skipped the Redis search-mode contract: the server at ${url} has no RediSearch 2.6+ ` +
      "module (MODULE LIST). Point REDIS_URL at Redis Stack or Redis 8 to run it.",
  );
}

/** Deletes every key and index under a test's prefix (SCAN: admin and test paths only). */
async function dropPrefix(prefix: string): Promise<void> {
  await withAdmin(async (admin) => {
    if (searchModule) {
      const indexes = (await admin.sendCommand(["FT._LIST"])) as string[];
      for (const name of indexes.filter((index) => index.startsWith(`${prefix}:idx:`)))
        await admin.sendCommand(["FT.DROPINDEX", name]);
    }
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      if (batch.length > 0) await admin.del(batch);
    }
  });
}

describeMemoryContract({
  name: "redis (plain mode)",
  create() {
    const prefix = `test-${randomUUID()}`;
    return {
      open: () => redisBackend({ url }, { prefix, mode: "plain", log: () => undefined }),
      cleanup: () => dropPrefix(prefix),
    };
  },
});

it("runs the search-mode suite whenever the server has RediSearch", async () => {
  // Asked without the detection under test: a server that answers FT._LIST has the module.
  const answers = await withAdmin((admin) =>
    admin.sendCommand(["FT._LIST"]).then(
      () => true,
      () => false,
    ),
  );
  expect(searchModule).toBe(answers);
});

describe.skipIf(!searchModule)("redis search mode", () => {
  describeMemoryContract({
    name: "redis (search mode)",
    create() {
      const prefix = `test-${randomUUID()}`;
      return {
        open: () => redisBackend({ url }, { prefix, log: () => undefined }),
        cleanup: () => dropPrefix(prefix),
      };
    },
  });

  it("creates the index once when several stores start together", async () => {
    const prefix = `test-${randomUUID()}`;
    const memories = Array.from({ length: 4 }, () =>
      createMemory({
        backend: redisBackend({ url }, { prefix, log: () => undefined }),
        embedder: createTestEmbedder(),
      }),
    );
    onTestFinished(async () => {
      await Promise.all(memories.map((memory) => memory.close()));
      await dropPrefix(prefix);
    });
    await Promise.all(
      memories.map((memory, i) => memory.remember({ namespace: ["t"], content: `starter ${i}` })),
    );
    const found = await memories[0]!.recall({ namespace: ["t"], query: "starter 2" });
    expect(found.map((m) => m.content)).toContain("starter 2");
  });

  it("keeps one tenant's scores and ranking still while another tenant writes", async () => {
    const prefix = `test-${randomUUID()}`;
    const memory = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
    onTestFinished(async () => {
      await memory.close();
      await dropPrefix(prefix);
    });
    await memory.remember([
      { namespace: ["acme"], content: "The invoice for March was paid late" },
      { namespace: ["acme"], content: "Invoices go to the finance team" },
      { namespace: ["acme"], content: "The office plants need water on Mondays" },
    ]);
    const ask = async () =>
      (
        await Promise.all(
          (["keyword", "hybrid"] as const).map((mode) =>
            memory.recall({ namespace: ["acme"], query: "late invoice", mode, explain: true }),
          ),
        )
      ).map((hits) =>
        hits.map((hit) => [hit.content, hit.explain?.keyword, hit.explain?.semantic]),
      );
    const before = await ask();
    expect(before[0]!.length).toBeGreaterThan(0);
    // Another tenant makes "invoice" common and "late" rare across the whole index.
    await memory.remember(
      Array.from({ length: 40 }, (_, i) => ({
        namespace: ["globex"],
        content: `invoice ${i} for the globex account`,
      })),
    );
    expect(await ask()).toEqual(before);
  });

  it("counts recalls outside the indexed record", async () => {
    const prefix = `test-${randomUUID()}`;
    const memory = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
    });
    onTestFinished(async () => {
      await memory.close();
      await dropPrefix(prefix);
    });
    const [made] = await memory.remember([{ namespace: ["t"], content: "used often" }]);
    for (let i = 0; i < 3; i++) await memory.recall({ namespace: ["t"], query: "used often" });
    expect((await memory.get(made!.id))?.accessCount).toBe(3);
    const { record, documents } = await withAdmin(async (admin) => ({
      record: await admin.hGet(redisKeys(prefix).memory("t", made!.id), "accessCount"),
      documents: await admin.sendCommand(["FT.INFO", redisKeys(prefix).searchIndex("engram-test")]),
    }));
    expect(record).toBe("0");
    // Re-indexing leaves deleted-document records behind; none may exist.
    const info = documents as unknown as Record<string, unknown> | unknown[];
    const field = (name: string) =>
      Array.isArray(info) ? info[info.indexOf(name) + 1] : (info as Record<string, unknown>)[name];
    expect(Number(field("num_docs"))).toBe(1);
    expect(Number(field("max_doc_id"))).toBe(1);
  });

  it("refuses an existing index with other dimensions", async () => {
    const prefix = `test-${randomUUID()}`;
    onTestFinished(() => dropPrefix(prefix));
    const first = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder({ dimensions: 64 }),
    });
    await first.remember({ namespace: ["t"], content: "sixty-four" });
    await first.close();
    // Forget the store's own binding, so only the index can notice.
    await withAdmin((admin) => admin.del(redisKeys(prefix).meta));
    const second = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder({ dimensions: 32 }),
    });
    onTestFinished(() => second.close());
    await expect(
      second.remember({ namespace: ["t"], content: "thirty-two" }),
    ).rejects.toMatchObject({ code: "DIMENSION_MISMATCH" });
  });
});

describe("redis backend", () => {
  it("fails at once with one clear error when Redis cannot be reached", async () => {
    const warnings: unknown[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((...args) => {
      warnings.push(args);
    });
    const memory = createMemory({
      backend: redisBackend({ url: "redis://user:secret@127.0.0.1:1" }, { log: () => undefined }),
      embedder: createTestEmbedder(),
    });
    const error = await memory.list({ namespace: ["t"] }).catch((e: unknown) => e);
    warn.mockRestore();
    await memory.close();
    expect(error).toMatchObject({ code: "BACKEND_UNAVAILABLE" });
    expect((error as Error).message).toMatch(
      /^Could not connect to Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1/,
    );
    expect((error as Error).message).not.toContain("secret");
    expect(warnings.length).toBeLessThanOrEqual(1);
  });

  async function setUpMemory(extra: { client?: TestClient } = {}) {
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
    expect(backend.capabilities).toEqual({
      mode: searchModule ? "search" : "plain",
      searchModule,
    });
  });

  it("stays in plain mode when asked, whatever the server offers", async () => {
    const prefix = `test-${randomUUID()}`;
    const backend = redisBackend({ url }, { prefix, mode: "plain", log: () => undefined });
    onTestFinished(() => backend.close());
    await backend.open();
    expect(backend.capabilities).toEqual({ mode: "plain", searchModule });
  });

  it("logs the mode once", async () => {
    const lines: string[] = [];
    const prefix = `test-${randomUUID()}`;
    const backend = redisBackend({ url }, { prefix, log: (line) => lines.push(line) });
    onTestFinished(() => backend.close());
    await Promise.all([backend.open(), backend.open()]);
    await backend.open();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Redis: (search|plain) mode/);
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

  it("lets Redis expire a memory, and never shows it through the entries that outlive it", async () => {
    const { memory, prefix } = await setUpMemory();
    const [kept] = await memory.remember([{ namespace: ["t"], content: "kept for good" }]);
    const [brief] = await memory.remember([
      { namespace: ["t"], content: "gone soon", key: "brief", ttlMs: 1500 },
    ]);
    // Warm the plain-mode cache while both exist (the TTL leaves room for a loaded machine).
    expect((await memory.list({ namespace: ["t"] })).memories).toHaveLength(2);
    await vi.waitFor(
      async () =>
        expect(
          await withAdmin((admin) => admin.exists(redisKeys(prefix).memory("t", brief!.id))),
        ).toBe(0),
      { timeout: 15_000, interval: 100 },
    );
    // The namespace's id set and key map still name it; nothing may surface it.
    expect(
      await withAdmin((admin) => admin.hGet(redisKeys(prefix).namespaceKeys("t"), "brief")),
    ).toBe(brief!.id);
    expect((await memory.list({ namespace: ["t"] })).memories.map((m) => m.id)).toEqual([kept!.id]);
    expect(await memory.get(brief!.id)).toBeUndefined();
    const found = await memory.recall({ namespace: ["t"], query: "gone soon" });
    expect(found.map((m) => m.id)).not.toContain(brief!.id);
    // A write empties the cache; the next read drops the dead id from the namespace's set.
    await memory.remember({ namespace: ["t"], content: "a third one" });
    await memory.list({ namespace: ["t"] });
    expect(
      await withAdmin((admin) => admin.zScore(redisKeys(prefix).namespaceIds("t"), brief!.id)),
    ).toBeNull();
  });

  it("never serves one process's cache after another process wrote", async () => {
    const { memory: first, prefix } = await setUpMemory();
    const second = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
    onTestFinished(() => second.close());
    const [a] = await first.remember([{ namespace: ["t", "a"], content: "first note" }]);
    await first.remember([{ namespace: ["t", "b"], content: "other namespace" }]);
    // Warm the first process's cache of both namespaces.
    expect((await first.list({ within: ["t"] })).memories).toHaveLength(2);
    const [b] = await second.remember([{ namespace: ["t", "a"], content: "second note" }]);
    const seen = await first.recall({
      namespace: ["t", "a"],
      query: "second note",
      mode: "semantic",
    });
    expect(seen.map((m) => m.id)).toContain(b!.id);
    await second.forget(a!.id);
    const listed = await first.list({ within: ["t"] });
    expect(listed.memories.map((m) => m.content).sort()).toEqual([
      "other namespace",
      "second note",
    ]);
  });

  it("publishes each change on its namespace's channel", async () => {
    const { memory, prefix } = await setUpMemory();
    const listener = createClient({ url });
    await listener.connect();
    onTestFinished(() => listener.close());
    const heard: { type: string; id: string; namespace: string; kind: string }[] = [];
    await listener.subscribe(redisKeys(prefix).channel("t/u"), (message) =>
      heard.push(JSON.parse(message)),
    );
    const [made] = await memory.remember([
      { namespace: ["t", "u"], content: "heard", kind: "note" },
    ]);
    await memory.remember([{ namespace: ["t", "elsewhere"], content: "not on this channel" }]);
    await memory.forget(made!.id);
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    expect(heard).toMatchObject([
      { type: "created", id: made!.id, namespace: "t/u", kind: "note" },
      { type: "deleted", id: made!.id, namespace: "t/u", kind: "note" },
    ]);
  });

  it("drops every key of its store, and nothing else", async () => {
    const { memory, backend, prefix } = await setUpMemory();
    const other = await setUpMemory();
    await memory.remember({ namespace: ["t"], content: "to be dropped" });
    await other.memory.remember({ namespace: ["t"], content: "not mine" });
    await backend.drop();
    await withAdmin(async (admin) => {
      let left = 0;
      for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 }))
        left += batch.length;
      expect(left).toBe(0);
    });
    expect((await other.memory.list({ namespace: ["t"] })).memories).toHaveLength(1);
  });

  it("leaves no half-written memory when the connection dies mid-write", async () => {
    // A name of our own marks this test's connections (duplicates inherit it), so the kill
    // below can never hit another test file's connection on the same server.
    const name = `engram-kill-${randomUUID()}`;
    const client = createClient({ url, name });
    client.on("error", () => undefined);
    await client.connect();
    onTestFinished(() => client.close());
    const { memory, prefix } = await setUpMemory({ client });
    await memory.remember({ namespace: ["t"], content: "already there" });

    const outcome = await withAdmin(async (admin) => {
      // Writes pause at EXEC, so the transaction is surely in flight when its connection dies.
      await admin.sendCommand(["CLIENT", "PAUSE", "10000", "WRITE"]);
      try {
        const writing = memory
          .remember(Array.from({ length: 50 }, (_, i) => ({ namespace: ["t"], content: `n${i}` })))
          .then(
            () => "written",
            (error: { code?: string }) => error.code,
          );
        await vi.waitFor(async () => {
          const parked = String(await admin.sendCommand(["CLIENT", "LIST"]))
            .split("\n")
            .filter((line) => line.includes(`name=${name} `) && /flags=\S*b/.test(line));
          expect(parked).toHaveLength(1);
          await admin.sendCommand(["CLIENT", "KILL", "ID", /id=(\d+)/.exec(parked[0]!)![1]!]);
        });
        return await writing;
      } finally {
        await admin.sendCommand(["CLIENT", "UNPAUSE"]);
      }
    });

    expect(outcome).toBe("BACKEND_UNAVAILABLE");
    const listed = await memory.list({ namespace: ["t"], limit: 100 });
    expect(listed.memories.map((m) => m.content)).toEqual(["already there"]);
    // Nothing of the batch anywhere: no record hash, no namespace entry, no event.
    await withAdmin(async (admin) => {
      let hashes = 0;
      for await (const batch of admin.scanIterator({ MATCH: `${prefix}:mem:*`, COUNT: 1000 }))
        hashes += batch.length;
      expect(hashes).toBe(1);
      expect(await admin.zCard(redisKeys(prefix).namespaceIds("t"))).toBe(1);
      expect(await admin.xLen(redisKeys(prefix).events("t"))).toBe(1);
    });
  });
});
