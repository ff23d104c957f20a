import { randomUUID } from "node:crypto";
import { createCluster } from "redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { startRedisCluster, type TestRedisCluster } from "../../testing/redis-cluster.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { keySlot } from "./cluster-client.js";
import { redisKeys } from "./keys.js";
import { redisBackend } from "./redis-backend.js";

// Faults need nodes of our own to kill, whatever REDIS_CLUSTER_URLS says.
let cluster: TestRedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ ownNodes: true });
}, 120_000);
afterAll(() => cluster?.stop());

const newClient = () =>
  createCluster({
    rootNodes: cluster.urls.map((url) => ({ url })),
    defaults: { socket: { connectTimeout: 1000, reconnectStrategy: () => 200 } },
  });

/**
 * Writes in a loop, kills the master that owns the tenant's slot after 50 writes, keeps writing
 * until 30 more are acknowledged (a replica has taken over; with `waitForReplicas`, the killed
 * node is restarted so the new master has a replica to confirm), then counts acknowledged
 * writes that are missing.
 */
async function killMasterDuringWrites(waitForReplicas: number) {
  const client = newClient();
  client.on("error", () => undefined);
  await client.connect();
  const prefix = `fault-${randomUUID()}`;
  const backend = redisBackend(
    { client },
    { prefix, mode: "plain", waitForReplicas, log: () => undefined },
  );
  const memory = createMemory({ backend, embedder: createTestEmbedder(), dedup: false });
  const acknowledged: string[] = [];
  let failed = 0;
  let afterKill = 0;
  const master = client.getSlotMaster(keySlot(redisKeys(prefix).namespaceIds("t")));
  const killed = `redis://${master.host}:${master.port}`;
  let restarted: Promise<void> | undefined;
  const deadline = Date.now() + 60_000;
  for (let i = 0; afterKill < 30 && Date.now() < deadline; i++) {
    if (i === 50) await cluster.kill(killed);
    try {
      const stored = await memory.remember({ namespace: ["t"], content: `write ${i}` });
      acknowledged.push(stored.id);
      if (i >= 50) afterKill += 1;
    } catch {
      failed += 1;
      // WAIT cannot be met until the shard has a replica again.
      if (waitForReplicas > 0 && failed === 5) restarted = cluster.restart(killed);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await restarted;
  const present = await Promise.all(acknowledged.map((id) => memory.get(id)));
  const missing = present.filter((found) => found === undefined).length;
  await memory.close();
  await client.close().catch(() => client.destroy());
  return { killed, acknowledged: acknowledged.length, failed, missing, afterKill };
}

it("goes on writing after a master dies and its replica takes over (no WAIT: losses counted)", async () => {
  const result = await killMasterDuringWrites(0);
  // Without WAIT, Redis replicates asynchronously: a write acknowledged in the last moments
  // before the kill may be missing. That count is printed, not asserted.
  console.info("[engram] master killed, waitForReplicas 0:", result);
  expect(result.afterKill).toBe(30);
  await cluster.restart(result.killed);
}, 120_000);

it("keeps every write acknowledged with waitForReplicas when a master dies", async () => {
  const result = await killMasterDuringWrites(1);
  console.info("[engram] master killed, waitForReplicas 1:", result);
  expect(result.afterKill).toBe(30);
  expect(result.missing).toBe(0);
}, 120_000);

/** Moves one slot between masters key by key (what `redis-cli --cluster reshard` does). */
async function migrateSlot(slot: number, from: string, to: string, onBatch: () => Promise<void>) {
  const node = async (url: string) => {
    const { createClient } = await import("redis");
    const connection = createClient({ url });
    connection.on("error", () => undefined);
    await connection.connect();
    return connection;
  };
  const [source, target] = await Promise.all([node(from), node(to)]);
  const sourceId = String(await source.sendCommand(["CLUSTER", "MYID"]));
  const targetId = String(await target.sendCommand(["CLUSTER", "MYID"]));
  await target.sendCommand(["CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceId]);
  await source.sendCommand(["CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetId]);
  const { hostname, port } = new URL(to);
  for (;;) {
    const keys = (await source.sendCommand([
      "CLUSTER",
      "GETKEYSINSLOT",
      String(slot),
      "5",
    ])) as string[];
    if (keys.length === 0) break;
    await source.sendCommand(["MIGRATE", hostname, port, "", "0", "5000", "KEYS", ...keys]);
    await onBatch();
  }
  for (const connection of [target, source])
    await connection.sendCommand(["CLUSTER", "SETSLOT", String(slot), "NODE", targetId]);
  await Promise.all([source.close(), target.close()]);
}

it("moves a tenant's slot to another master while it is written, with no error surfacing", async () => {
  const client = newClient();
  client.on("error", () => undefined);
  await client.connect();
  const prefix = `moving-${randomUUID()}`;
  const backend = redisBackend({ client }, { prefix, mode: "plain", log: () => undefined });
  const memory = createMemory({ backend, embedder: createTestEmbedder(), dedup: false });
  const slot = keySlot(redisKeys(prefix).namespaceIds("t"));
  const owner = client.getSlotMaster(slot);
  const target = client.masters.find((master) => master.address !== owner.address)!;
  const written: string[] = [];
  let count = 0;
  const write = async () => {
    const stored = await memory.remember({ namespace: ["t"], content: `write ${count++}` });
    written.push(stored.id);
  };
  for (let i = 0; i < 40; i++) await write();
  // Every batch of moved keys starts a write and a read without waiting for them, so they run
  // while the slot is split between the two masters (TRYAGAIN, ASK) and after it moved (MOVED).
  const during: Promise<unknown>[] = [];
  await migrateSlot(
    slot,
    `redis://${owner.host}:${owner.port}`,
    `redis://${target.host}:${target.port}`,
    async () => {
      during.push(write(), memory.list({ namespace: ["t"], limit: 5 }));
    },
  );
  await Promise.all(during);
  for (let i = 0; i < 10; i++) await write();
  expect(during.length).toBeGreaterThan(10);
  const page = await memory.list({ namespace: ["t"], limit: 1000 });
  expect(page.memories.map((m) => m.id).sort()).toEqual([...written].sort());
  await memory.close();
  await client.close();
}, 120_000);
