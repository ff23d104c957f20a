import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { afterAll, expect, inject, it, onTestFinished } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { dropRedisPrefix } from "../../testing/redis-global-setup.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { redisKeys } from "./keys.js";
import { SNAPSHOT_MIN_RECORDS } from "./namespace-snapshots.js";
import { redisBackend } from "./redis-backend.js";

const dir = mkdtempSync(join(tmpdir(), "engram-saved-namespaces-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOPICS = ["apples", "rockets", "violins", "glaciers", "compilers", "tulips", "harbours"];

function setup() {
  const url = inject("redisUrl");
  const prefix = `test-${randomUUID()}`;
  onTestFinished(() => dropRedisPrefix(url, prefix));
  const cache = join(dir, prefix);
  const open = (vectorIndexCache: string | false) =>
    createMemory({
      backend: redisBackend(
        { url },
        { prefix, mode: "plain", log: () => undefined, vectorIndexCache },
      ),
      embedder: createTestEmbedder(),
      dedup: false,
    });
  return { url, prefix, cache, open };
}

async function fill(memory: ReturnType<ReturnType<typeof setup>["open"]>, namespace: string[]) {
  const count = SNAPSHOT_MIN_RECORDS + 100;
  for (let i = 0; i < count; i += 500) {
    await memory.remember(
      Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
        namespace,
        content: `${TOPICS[(i + j) % 7]} and ${TOPICS[(i + j) % 5]} ${i + j}`,
      })),
    );
  }
}

it("a reopened plain backend loads its saved namespace instead of reading it from Redis", async () => {
  const { url, prefix, cache, open } = setup();
  const namespace = ["t"];
  const query = { namespace, query: "apples and rockets 7", mode: "semantic", limit: 5 } as const;
  const first = open(cache);
  await fill(first, namespace);
  const before = await first.recall(query);
  await first.close();
  expect(readdirSync(cache).some((name) => name.startsWith("ns-") && name.endsWith(".json"))).toBe(
    true,
  );

  // Behind every backend's back, without a new version token (no write does that): a backend
  // that read the namespace from Redis would see this content, one that loaded it from disk
  // sees what was saved.
  const client = createClient({ url });
  await client.connect();
  onTestFinished(() => client.close());
  await client.hSet(redisKeys(prefix).memory("t", before[0]!.id), "content", "rewritten in place");
  // Another process's recall counts a use: uses are read afresh, never taken from the file. It
  // finds that one memory by the word only it holds now: a recall by meaning there would search
  // a graph of the other process's own making, whose near ties may differ, and its uses would
  // then reorder the near ties here.
  const other = open(false);
  const used = await other.recall({ namespace, query: "rewritten", mode: "keyword", limit: 1 });
  expect(used.map((hit) => hit.id)).toEqual([before[0]!.id]);
  await other.close();

  const reopened = open(cache);
  onTestFinished(() => reopened.close());
  const after = await reopened.recall({ ...query, recordAccess: false });
  expect(after.map((hit) => hit.id)).toEqual(before.map((hit) => hit.id));
  expect(after[0]!.content).toBe(before[0]!.content);
  // Used by the first recall, then by the other process's.
  expect(after[0]!.accessCount).toBe(2);
});

it("a saved namespace is never served once another process wrote, forgot or a memory expired", async () => {
  const { cache, open } = setup();
  const namespace = ["t"];
  const query = { namespace, query: "apples and rockets 7", mode: "semantic", limit: 5 } as const;
  const first = open(cache);
  await fill(first, namespace);
  // Builds the graph; what is written after it is scanned exactly (so found for sure).
  await first.recall(query);
  const expiring = await first.remember({
    namespace,
    content: "apples and rockets 7",
    expiresAt: new Date(Date.now() + 1_500),
  });
  const before = await first.recall({ ...query, recordAccess: false });
  expect(before.map((hit) => hit.id)).toContain(expiring.id);
  await first.close();

  // Expiry changes no version token: the saved copy still holds the memory, and must not
  // return it once it has expired.
  await new Promise((resolve) => setTimeout(resolve, 1_600));
  const reopened = open(cache);
  const unchanged = await reopened.recall({ ...query, recordAccess: false });
  expect(unchanged.map((hit) => hit.id)).not.toContain(expiring.id);
  await reopened.close();

  // Another process forgets the best match and adds a better one.
  const other = open(false);
  const gone = unchanged[0]!.id;
  await other.forget(gone);
  const added = await other.remember({ namespace, content: "apples and rockets 7" });
  await other.close();

  const again = open(cache);
  onTestFinished(() => again.close());
  const ids = (await again.recall({ ...query, recordAccess: false })).map((hit) => hit.id);
  expect(ids).not.toContain(gone);
  expect(ids[0]).toBe(added.id);
});

it("records the uses of a namespace loaded from its saved copy without reading the directory", async () => {
  const { url, prefix, cache, open } = setup();
  const namespace = ["t"];
  const first = open(cache);
  await fill(first, namespace);
  await first.recall({ namespace, query: "apples", mode: "semantic" });
  await first.close();

  // A backend on a client that records the directory entries (`keys.home`) it reads.
  const client = createClient({ url });
  const homes = redisKeys(prefix).home("").slice(0, -1); // `<prefix>:home:{`
  const directoryReads: string[] = [];
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<typeof send>) => {
    const [command, key] = args[0].map(String);
    if (command!.toUpperCase() === "GET" && key!.startsWith(homes)) directoryReads.push(key!);
    return send(...args);
  }) as typeof client.sendCommand;
  await client.connect();
  onTestFinished(() => client.close());
  const reopened = createMemory({
    backend: redisBackend(
      { client: client as never },
      { prefix, mode: "plain", log: () => undefined, vectorIndexCache: cache },
    ),
    embedder: createTestEmbedder(),
    dedup: false,
  });
  const used: string[] = [];
  for (const mode of ["semantic", "keyword", "hybrid"] as const) {
    const hits = await reopened.recall({ namespace, query: `rockets ${mode}`, mode, limit: 3 });
    expect(hits).toHaveLength(3);
    used.push(...hits.map((hit) => hit.id));
  }
  await reopened.close();
  expect(directoryReads).toEqual([]);

  // The uses were recorded all the same.
  const other = open(false);
  onTestFinished(() => other.close());
  for (const id of used) expect((await other.get(id))!.accessCount).toBeGreaterThanOrEqual(1);
});
