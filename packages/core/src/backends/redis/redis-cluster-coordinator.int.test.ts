import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { keySlot } from "./cluster-client.js";
import { describeClusterContract, searchClusterForTests } from "./cluster-test-setup.js";
import { redisKeys } from "./keys.js";
import { redisBackend } from "./redis-backend.js";

// Search mode on a cluster whose RediSearch has a coordinator (RediSearch's OSS coordinator,
// `module-oss.so`; Redis 8's query engine on a cluster works the same way): FT.CREATE reaches
// every shard and FT.SEARCH gathers from every shard. It needs a coordinator build, so it runs
// only when one is named.
const client = await searchClusterForTests(
  process.env.ENGRAM_REDISEARCH_COORDINATOR_MODULE,
  "[engram] Skipped the Redis Cluster coordinator suite: set " +
    "ENGRAM_REDISEARCH_COORDINATOR_MODULE to a RediSearch 2.6+ coordinator build " +
    "(module-oss.so) that every cluster node can load.",
);

describe.skipIf(!client)("redis cluster search mode (RediSearch coordinator)", () => {
  describeClusterContract("redis cluster (search mode, coordinator)", () => client!);

  it("detects the coordinator, keeps one index for the cluster, and searches every shard", async () => {
    const prefix = `coordinated-${randomUUID()}`;
    const keys = redisKeys(prefix);
    const said: string[] = [];
    const backend = redisBackend({ client: client! }, { prefix, log: (line) => said.push(line) });
    const memory = createMemory({ backend, embedder: createTestEmbedder() });
    // Tenants on every master.
    const ownerOf = (tenant: string) =>
      client!.getSlotMaster(keySlot(keys.namespaces(tenant))).address;
    const tenants: string[] = [];
    const owners = new Set<string>();
    for (let i = 0; owners.size < client!.masters.length; i++) {
      const tenant = `tenant-${i}`;
      if (owners.has(ownerOf(tenant))) continue;
      owners.add(ownerOf(tenant));
      tenants.push(tenant);
    }
    await memory.remember(
      tenants.map((tenant, at) => ({
        namespace: [tenant],
        content: `The invoice number ${at} of ${tenant} was paid late`,
      })),
    );
    await memory.remember(
      tenants.map((tenant) => ({
        namespace: [tenant],
        content: "The parking garage closes at nine",
      })),
    );
    expect(backend.capabilities?.mode).toBe("search");
    expect(said.join("\n")).toMatch(/coordinator found/);

    // One tenant: only its memories, though the index spans every shard.
    const mine = await memory.recall({ namespace: [tenants[1]!], query: "late invoice" });
    expect(mine.map((hit) => hit.namespace[0])).toEqual([tenants[1], tenants[1]]);
    expect(mine[0]!.content).toContain("invoice");
    // Tenants on every master, in one search.
    const all = await memory.recall({
      namespace: tenants.map((tenant) => [tenant]),
      query: "late invoice",
      mode: "semantic",
      limit: tenants.length,
    });
    expect(all.map((hit) => hit.content).sort()).toEqual(
      tenants.map((tenant, at) => `The invoice number ${at} of ${tenant} was paid late`).sort(),
    );

    // One index, under its own name: no copy per master.
    const indexes = (await client!.sendCommand(undefined, true, ["FT._LIST"])) as string[];
    expect(indexes.filter((name) => name.startsWith(prefix))).toEqual([
      keys.searchIndex("engram-test"),
    ]);
    await backend.drop();
    await memory.close();
  });
});
