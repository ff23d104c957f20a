import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { keySlot } from "./cluster-client.js";
import { describeClusterContract, searchClusterForTests } from "./cluster-test-setup.js";
import { redisKeys } from "./keys.js";
import { redisBackend } from "./redis-backend.js";

// Search mode on an OSS cluster without a coordinator: every node loads RediSearch and indexes
// only its own keys. It needs a module build, so it runs only when one is named.
const client = await searchClusterForTests(
  process.env.ENGRAM_REDISEARCH_MODULE,
  "[engram] Skipped the Redis Cluster search-mode suite: set ENGRAM_REDISEARCH_MODULE to a " +
    "RediSearch 2.6+ module (redisearch.so) that every cluster node can load.",
);

describe.skipIf(!client)("redis cluster search mode (RediSearch on every node)", () => {
  describeClusterContract("redis cluster (search mode)", () => client!);

  it("indexes on every master, and gathers a search over tenants on different masters", async () => {
    const prefix = `search-${randomUUID()}`;
    const keys = redisKeys(prefix);
    const backend = redisBackend({ client: client! }, { prefix, log: () => undefined });
    const memory = createMemory({ backend, embedder: createTestEmbedder() });
    // Two tenants whose slots are on different masters.
    const ownerOf = (tenant: string) =>
      client!.getSlotMaster(keySlot(keys.namespaces(tenant))).address;
    const first = "acme";
    let second = "globex-0";
    for (let i = 1; ownerOf(second) === ownerOf(first); i++) second = `globex-${i}`;
    await memory.remember([
      { namespace: [first], content: "The invoice for March was paid late" },
      { namespace: [first], content: "The office plants need water on Mondays" },
      { namespace: [second], content: "The invoice for April was paid late too" },
      { namespace: [second], content: "The parking garage closes at nine" },
    ]);
    expect(backend.capabilities?.mode).toBe("search");
    // One tenant: searched on the master owning its slot, whose index holds its memories.
    const hits = await memory.recall({ namespace: [first], query: "late invoice" });
    expect(hits[0]?.content).toBe("The invoice for March was paid late");
    expect(hits.every((hit) => hit.namespace[0] === first)).toBe(true);
    // Two tenants on two masters: each searched, the best of both gathered in one order.
    const both = await memory.recall({ namespace: [[first], [second]], query: "late invoice" });
    expect(
      both
        .slice(0, 2)
        .map((hit) => hit.content)
        .sort(),
    ).toEqual(["The invoice for April was paid late too", "The invoice for March was paid late"]);
    for (let i = 1; i < both.length; i++)
      expect(both[i - 1]!.score).toBeGreaterThanOrEqual(both[i]!.score);
    // Each shard indexes its own keys, so the index exists on every master, under a name
    // whose slot that master owns (RediSearch routes an index name like a key).
    for (const master of client!.masters) {
      const node = await client!.nodeClient(master);
      const indexes = (await node.sendCommand(["FT._LIST"])) as string[];
      const copy = indexes.find((name) => name.startsWith(`${keys.searchIndex("engram-test")}:{`));
      expect(copy).toBeDefined();
      expect(client!.getSlotMaster(keySlot(copy!)).address).toBe(master.address);
    }
    await backend.drop();
    await memory.close();
  });

  it("searches a subtree of many two-segment tenants on every master holding one", async () => {
    const prefix = `search-orgs-${randomUUID()}`;
    const keys = redisKeys(prefix, 2);
    const options = { log: () => undefined, tenantSegments: 2 };
    const backend = redisBackend({ client: client! }, { prefix, ...options });
    const memory = createMemory({ backend, embedder: createTestEmbedder() });
    const orgs = Array.from({ length: 12 }, (_, i) => `o${i}`);
    await memory.remember(
      orgs.map((org) => ({ namespace: ["org", org, "user", "u"], content: `invoice of ${org}` })),
    );
    expect(backend.capabilities?.mode).toBe("search");
    const masters = new Set(
      orgs.map((org) => client!.getSlotMaster(keySlot(keys.namespaces(`org/${org}`))).address),
    );
    expect(masters.size).toBeGreaterThan(1);
    for (const mode of ["semantic", "hybrid"] as const) {
      const hits = await memory.recall({ within: ["org"], query: "invoice", limit: 20, mode });
      expect(hits.map((hit) => hit.content).sort()).toEqual(
        orgs.map((org) => `invoice of ${org}`).sort(),
      );
    }
    const one = await memory.recall({ within: ["org", "o3"], query: "invoice", mode: "semantic" });
    expect(one.map((hit) => hit.content)).toEqual(["invoice of o3"]);
    await backend.drop();
    await memory.close();
  });
});
