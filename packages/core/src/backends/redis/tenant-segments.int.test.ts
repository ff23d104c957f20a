import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { describe, expect, inject, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { describeMemoryContract } from "../../testing/index.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import type { MemoryEvent } from "../backend.js";
import { redisKeys } from "./keys.js";
import { type RedisBackendOptions, redisBackend } from "./redis-backend.js";
import { detectSearchModule } from "./search-module.js";

const url = inject("redisUrl");

const backendOf = (prefix: string, options: RedisBackendOptions = {}) =>
  redisBackend({ url }, { prefix, mode: "plain", log: () => undefined, ...options });

async function dropPrefix(prefix: string): Promise<void> {
  const dropper = backendOf(prefix, { tenantSegments: 2, mode: "auto" });
  await dropper.drop().catch(() => undefined);
  await dropper.close();
  const admin = createClient({ url });
  await admin.connect();
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 }))
    if (batch.length > 0) await admin.del(batch);
  await admin.close();
}

/** Every key of a prefix on the test server, sorted. */
async function keysOf(prefix: string): Promise<string[]> {
  const admin = createClient({ url });
  await admin.connect();
  const found: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 }))
    found.push(...batch);
  await admin.close();
  return found.sort();
}

describeMemoryContract({
  name: "redis (plain mode, tenantSegments 2)",
  create() {
    const prefix = `test-${randomUUID()}`;
    return {
      open: () => backendOf(prefix, { tenantSegments: 2 }),
      cleanup: () => dropPrefix(prefix),
    };
  },
});

const probe = createClient({ url });
await probe.connect();
const searchModule = await detectSearchModule(probe as never);
await probe.close();
if (!searchModule)
  console.warn(
    `[engram] Skipped the search-mode contract with tenantSegments 2: the server at ${url} has ` +
      "no RediSearch 2.6+ module. Point REDIS_URL at one that has it to run it.",
  );

describe.skipIf(!searchModule)("search mode, tenantSegments 2", () => {
  describeMemoryContract({
    name: "redis (search mode, tenantSegments 2)",
    create() {
      const prefix = `test-${randomUUID()}`;
      return {
        open: () => backendOf(prefix, { tenantSegments: 2, mode: "auto" }),
        cleanup: () => dropPrefix(prefix),
      };
    },
  });
});

it("refuses to open a store with another tenantSegments than it was written with, writing nothing", async () => {
  const prefix = `depth-${randomUUID()}`;
  const deep = createMemory({
    backend: backendOf(prefix, { tenantSegments: 2 }),
    embedder: createTestEmbedder(),
  });
  await deep.remember({ namespace: ["org", "a", "user", "u"], content: "written at depth 2" });
  await deep.close();
  const before = await keysOf(prefix);
  for (const tenantSegments of [1, 3]) {
    const other = createMemory({
      backend: backendOf(prefix, { tenantSegments }),
      embedder: createTestEmbedder(),
    });
    const refused = other.list({ namespace: ["org", "a", "user", "u"] });
    await expect(refused).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { option: "tenantSegments", expected: 2, actual: tenantSegments },
    });
    await expect(refused).rejects.toThrow(`tenantSegments: ${tenantSegments}`);
    await expect(refused).rejects.toThrow("tenantSegments: 2");
    await other.close();
  }
  expect(await keysOf(prefix)).toEqual(before);

  // A store written before the option (no depth recorded) is of depth 1.
  const old = `depth-${randomUUID()}`;
  const shallow = createMemory({ backend: backendOf(old), embedder: createTestEmbedder() });
  await shallow.remember({ namespace: ["org", "a"], content: "written at depth 1" });
  await shallow.close();
  await createClient({ url })
    .connect()
    .then(async (admin) => {
      // As Engram before the option wrote it: no depth in the meta hash.
      await admin.hDel(redisKeys(old).meta, "tenantSegments");
      await admin.close();
    });
  const untouched = await keysOf(old);
  const deeper = createMemory({
    backend: backendOf(old, { tenantSegments: 2 }),
    embedder: createTestEmbedder(),
  });
  await expect(deeper.list({ namespace: ["org", "a"] })).rejects.toMatchObject({
    code: "INVALID_ARGUMENT",
    details: { expected: 1, actual: 2 },
  });
  await deeper.close();
  expect(await keysOf(old)).toEqual(untouched);
  const again = createMemory({ backend: backendOf(old), embedder: createTestEmbedder() });
  expect((await again.list({ namespace: ["org", "a"] })).memories).toHaveLength(1);
  await again.close();
  await dropPrefix(prefix);
  await dropPrefix(old);
});

it("reads, follows and erases a subtree that spans many tenants (one per org)", async () => {
  const prefix = `orgs-${randomUUID()}`;
  const keys = redisKeys(prefix, 2);
  const memory = createMemory({
    backend: backendOf(prefix, { tenantSegments: 2 }),
    embedder: createTestEmbedder(),
  });
  const orgs = ["o1", "o2", "o3"];
  for (const org of orgs)
    await memory.remember({ namespace: ["org", org, "user", "u"], content: `invoice of ${org}` });
  await memory.remember({ namespace: ["org"], content: "invoice of the root" });
  await memory.messages.append({
    namespace: ["org", "o2", "user", "u"],
    threadId: "chat",
    messages: [{ role: "user", content: "hello" }],
  });
  // Each org is a tenant of its own: its own hash tag.
  expect(keys.tenantOf("org/o1/user/u")).toBe("org/o1");
  expect(await keysOf(prefix)).toContain(keys.namespaceIds("org/o3/user/u"));

  const within = { within: ["org"] };
  const hits = await memory.recall({ ...within, query: "invoice", limit: 10 });
  expect(hits.map((hit) => hit.content).sort()).toEqual([
    "invoice of o1",
    "invoice of o2",
    "invoice of o3",
    "invoice of the root",
  ]);
  expect((await memory.list(within)).memories).toHaveLength(4);
  expect(await memory.count(within)).toBe(4);
  const threads = await memory.threads.list(within);
  expect(threads.threads.map((thread) => thread.id)).toEqual(["chat"]);

  // Every change once, a tenant created after subscribing included.
  const events: MemoryEvent[] = [];
  const subscription = await memory.subscribe(within, (event) => {
    events.push(event);
  });
  await memory.remember({ namespace: ["org", "o1"], content: "in a known tenant" });
  await memory.remember({ namespace: ["org", "new", "user", "v"], content: "in a new tenant" });
  await memory.remember({ namespace: ["org", "new"], content: "again in the new tenant" });
  const elsewhere = await memory.remember({ namespace: ["elsewhere"], content: "not in scope" });
  await expect.poll(() => events.length, { timeout: 5000 }).toBe(3);
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(events.map((event) => event.namespace.join("/")).sort()).toEqual([
    "org/new",
    "org/new/user/v",
    "org/o1",
  ]);
  await subscription.close();

  await memory.forgetNamespace(["org", "o2"]);
  expect((await memory.list(within)).memories.map((m) => m.content)).not.toContain("invoice of o2");
  expect(await memory.count(within)).toBe(6);
  await memory.forgetNamespace(["org"]);
  expect(await memory.count(within)).toBe(0);
  expect((await memory.threads.list(within)).threads).toEqual([]);
  // Nothing of the subtree's data is left in any of its tenants: what stays is store-wide, or
  // each tenant's change log (its deleted events), near-duplicate counter and expiring commit
  // markers, as at depth 1.
  const outside = keys.tag("elsewhere");
  const kinds = (await keysOf(prefix))
    .filter((key) => !key.includes(outside) && !key.includes(`{${prefix}}`))
    .filter((key) => key !== keys.home(elsewhere.id))
    .map((key) => key.slice(prefix.length + 1, key.indexOf(":", prefix.length + 1)));
  expect(new Set(kinds)).toEqual(new Set(["events", "near", "commit"]));
  await memory.close();
  await dropPrefix(prefix);
});

it("reuses a stored vector within a tenant of two segments, never across two orgs", async () => {
  const prefix = `reuse-${randomUUID()}`;
  const embedder = createTestEmbedder();
  const open = () => createMemory({ backend: backendOf(prefix, { tenantSegments: 2 }), embedder });
  const memory = open();
  await memory.remember({ namespace: ["org", "a", "user", "u"], content: "same text" });
  await memory.remember({ namespace: ["org", "b", "user", "u"], content: "same text" });
  // Another org's vector is never reused (nor its cache entry): one call per org.
  expect(embedder.calls).toBe(2);
  await memory.close();
  // A new process (empty cache) finds the org's stored vector under the org's tenant.
  const reopened = open();
  await reopened.remember({ namespace: ["org", "a", "user", "v"], content: "same text" });
  expect(embedder.calls).toBe(2);
  await reopened.close();
  await dropPrefix(prefix);
});

it("registers a dropped store's tenants again when the same backend writes on", async () => {
  const prefix = `redrop-${randomUUID()}`;
  const backend = backendOf(prefix, { tenantSegments: 2 });
  const memory = createMemory({ backend, embedder: createTestEmbedder() });
  const write = async () => {
    await memory.remember({ namespace: ["org", "a", "user", "u"], content: "a note" });
    await memory.threads.create({ namespace: ["org", "a"], id: "chat" });
  };
  await write();
  await backend.drop();
  await write();
  // Found under the wide prefix only through the registries, written again after the drop.
  expect((await memory.list({ within: ["org"] })).memories).toHaveLength(1);
  expect((await memory.threads.list({ within: ["org"] })).threads).toHaveLength(1);
  // The dropped store still says its depth.
  const shallow = createMemory({ backend: backendOf(prefix), embedder: createTestEmbedder() });
  await expect(shallow.list({ within: ["org"] })).rejects.toMatchObject({
    code: "INVALID_ARGUMENT",
  });
  await shallow.close();
  await memory.close();
  await dropPrefix(prefix);
});
