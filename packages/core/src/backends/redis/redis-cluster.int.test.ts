import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import type { MemoryEvent } from "../backend.js";
import { keySlot } from "./cluster-client.js";
import { clusterForTests, describeClusterContract } from "./cluster-test-setup.js";
import { redisKeys } from "./keys.js";
import { redisBackend } from "./redis-backend.js";

// One cluster (3 masters, 3 replicas) for this file; REDIS_CLUSTER_URLS points it elsewhere.
const { cluster, client } = await clusterForTests();

describeClusterContract("redis cluster (plain mode)", () => client, { mode: "plain" });

it("runs on three masters, each with a replica (the test cluster's shape)", async () => {
  const nodes = (await client.sendCommand(undefined, true, ["CLUSTER", "NODES"])) as string;
  const roles = nodes
    .trim()
    .split("\n")
    .map((line) => line.split(" ")[2]!.replace("myself,", ""));
  expect(roles.sort()).toEqual(["master", "master", "master", "slave", "slave", "slave"]);
});

it("spreads one store's 100 tenants over all three masters, each tenant whole in one slot", async () => {
  const prefix = `spread-${randomUUID()}`;
  const keys = redisKeys(prefix);
  const backend = redisBackend({ client }, { prefix, mode: "plain", log: () => undefined });
  const memory = createMemory({ backend, embedder: createTestEmbedder() });
  const tenants = Array.from({ length: 100 }, (_, i) => `tenant-${i}`);
  for (const [i, tenant] of tenants.entries())
    await memory.remember({ namespace: [tenant, "users", "u"], content: `tenant ${i}` });
  const owners = new Map<string, number>();
  for (const tenant of tenants) {
    // The tenant's keys are where the slot map says: on the master that owns its tag's slot.
    const slot = keySlot(keys.namespaceIds(`${tenant}/users/u`));
    const master = client.getSlotMaster(slot);
    const node = await client.nodeClient(master);
    const inSlot = (await node.sendCommand([
      "CLUSTER",
      "GETKEYSINSLOT",
      String(slot),
      "100",
    ])) as string[];
    const mine = inSlot.filter((key) => key.includes(keys.tag(tenant)));
    // Record, namespace set, registry, event stream, ... all in the one slot.
    expect(mine.filter((key) => key.startsWith(keys.memoryPrefix))).toHaveLength(1);
    expect(mine).toContain(keys.namespaceIds(`${tenant}/users/u`));
    expect(mine).toContain(keys.events(tenant));
    owners.set(master.address, (owners.get(master.address) ?? 0) + 1);
  }
  expect([...owners.keys()].sort()).toEqual(client.masters.map((m) => m.address).sort());
  // Whole-store reads gather every tenant.
  expect(await memory.namespaces()).toHaveLength(100);
  const union = await memory.list({
    namespace: tenants.map((t) => [t, "users", "u"]),
    limit: 100,
  });
  expect(union.memories).toHaveLength(100);
  await backend.drop();
  await memory.close();
});

it("gives each org its own master with tenantSegments 2, and reads, erases and follows them all", async () => {
  const orgs = Array.from({ length: 30 }, (_, i) => `o${i + 1}`);
  const mastersOf = (keys: ReturnType<typeof redisKeys>) =>
    new Set(
      orgs.map(
        (org) => client.getSlotMaster(keySlot(keys.namespaceIds(`org/${org}/user/u`))).address,
      ),
    );
  // The default: every org is under the one root, so one tenant on one master.
  expect(mastersOf(redisKeys("p"))).toHaveProperty("size", 1);

  const prefix = `orgs-${randomUUID()}`;
  const keys = redisKeys(prefix, 2);
  const backend = redisBackend(
    { client },
    { prefix, mode: "plain", log: () => undefined, tenantSegments: 2 },
  );
  const memory = createMemory({ backend, embedder: createTestEmbedder() });
  for (const org of orgs)
    await memory.remember({ namespace: ["org", org, "user", "u"], content: `note of ${org}` });
  expect(mastersOf(keys)).toHaveProperty("size", 3);
  // Each org's keys are on the master its slot map names.
  for (const org of ["o1", "o2", "o3"]) {
    const master = client.getSlotMaster(keySlot(keys.namespaceIds(`org/${org}/user/u`)));
    const node = await client.nodeClient(master);
    expect(await node.exists(keys.namespaceIds(`org/${org}/user/u`))).toBe(1);
  }

  const within = { within: ["org"] };
  const hits = await memory.recall({ ...within, query: "note", limit: 50 });
  expect(hits.map((hit) => hit.content).sort()).toEqual(orgs.map((org) => `note of ${org}`).sort());
  expect(await memory.count(within)).toBe(30);

  const events: MemoryEvent[] = [];
  const subscription = await memory.subscribe(within, (event) => {
    events.push(event);
  });
  await memory.remember({ namespace: ["org", "o5"], content: "known tenant" });
  await memory.remember({ namespace: ["org", "late", "user", "u"], content: "new tenant" });
  await expect.poll(() => events.length, { timeout: 5000 }).toBe(2);
  await subscription.close();

  await memory.forgetNamespace(["org", "o7"]);
  expect(await memory.count(within)).toBe(31);
  expect(await memory.count({ within: ["org", "o7"] })).toBe(0);
  expect(await memory.count({ within: ["org", "o8"] })).toBe(1);

  await memory.forgetNamespace(["org"]);
  expect(await memory.count(within)).toBe(0);
  // On every master: only store-wide keys, and each tenant's change log, near-duplicate counter
  // and expiring commit markers (as at depth 1).
  const kinds = new Set<string>();
  for (const master of client.masters) {
    const node = await client.nodeClient(master);
    for await (const batch of node.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 }))
      for (const key of batch)
        if (!key.includes(`{${prefix}}`))
          kinds.add(key.slice(prefix.length + 1, key.indexOf(":", prefix.length + 1)));
  }
  expect([...kinds].sort()).toEqual(["commit", "events", "near"]);
  await backend.drop();
  await memory.close();
}, 60_000);

it("publishes each change on the tenant's shard (SPUBLISH), not to every node", async () => {
  const prefix = `sharded-${randomUUID()}`;
  const backend = redisBackend({ client }, { prefix, mode: "plain", log: () => undefined });
  const memory = createMemory({ backend, embedder: createTestEmbedder() });
  const listener = client.duplicate();
  await listener.connect();
  const received: string[] = [];
  await listener.sSubscribe(redisKeys(prefix).channel("tenant"), (message) => {
    received.push(message);
  });
  const stored = await memory.remember({ namespace: ["tenant"], content: "sharded change" });
  await expect.poll(() => received.length).toBe(1);
  expect(JSON.parse(received[0]!)).toMatchObject({ type: "created", id: stored.id });
  await listener.close();
  await backend.drop();
  await memory.close();
});

it("connects from the nodes' URLs with a cluster client of its own, and closes it", async () => {
  const prefix = `urls-${randomUUID()}`;
  const backend = redisBackend(
    { clusterUrls: cluster.urls.slice(0, 2) },
    { prefix, mode: "plain", log: () => undefined },
  );
  const memory = createMemory({ backend, embedder: createTestEmbedder() });
  await memory.remember({ namespace: ["tenant"], content: "from the URLs" });
  // The caller's client sees the same store.
  const reader = redisBackend({ client }, { prefix, mode: "plain", log: () => undefined });
  const other = createMemory({ backend: reader, embedder: createTestEmbedder() });
  const page = await other.list({ namespace: ["tenant"] });
  expect(page.memories.map((m) => m.content)).toEqual(["from the URLs"]);
  await backend.drop();
  await memory.close();
  await other.close();
  await expect(memory.list({ namespace: ["tenant"] })).rejects.toMatchObject({ code: "CLOSED" });
});

it("fails with BACKEND_UNAVAILABLE when no cluster node answers", async () => {
  const backend = redisBackend(
    { clusterUrls: ["redis://127.0.0.1:1"] },
    { prefix: `down-${randomUUID()}`, log: () => undefined },
  );
  await expect(backend.open()).rejects.toMatchObject({ code: "BACKEND_UNAVAILABLE" });
});
