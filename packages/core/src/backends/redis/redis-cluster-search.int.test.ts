import { randomUUID } from "node:crypto";
import { createCluster } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { describeMemoryContract } from "../../testing/index.js";
import { startRedisCluster, type TestRedisCluster } from "../../testing/redis-cluster.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { keySlot } from "./cluster-client.js";
import { redisBackend } from "./redis-backend.js";

// Search mode on an OSS cluster without a coordinator: every node loads RediSearch and indexes
// only its own keys. It needs a module build, so it runs only when one is named.
const modulePath = process.env.ENGRAM_REDISEARCH_MODULE;
if (!modulePath)
  console.warn(
    "[engram] Skipped the Redis Cluster search-mode suite: set ENGRAM_REDISEARCH_MODULE to a " +
      "RediSearch 2.6+ module (redisearch.so) that every cluster node can load.",
  );

let cluster: TestRedisCluster | undefined;
let client: ReturnType<typeof createCluster> | undefined;
if (modulePath) {
  cluster = await startRedisCluster({
    ownNodes: true,
    serverArguments: ["--loadmodule", modulePath],
  });
  client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
  await client.connect();
}
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

describe.skipIf(!modulePath)("redis cluster search mode (RediSearch on every node)", () => {
  describeMemoryContract({
    name: "redis cluster (search mode)",
    create() {
      const prefix = `test-${randomUUID()}`;
      const backend = () => redisBackend({ client: client! }, { prefix, log: () => undefined });
      return {
        open: backend,
        async cleanup() {
          const dropper = backend();
          await dropper.drop();
          await dropper.close();
        },
      };
    },
  });

  it("searches in the index on the master that owns the store's slot", async () => {
    const prefix = `search-${randomUUID()}`;
    const backend = redisBackend({ client: client! }, { prefix, log: () => undefined });
    const memory = createMemory({ backend, embedder: createTestEmbedder() });
    await memory.remember([
      { namespace: ["acme"], content: "The invoice for March was paid late" },
      { namespace: ["acme"], content: "The office plants need water on Mondays" },
    ]);
    expect(backend.capabilities?.mode).toBe("search");
    const hits = await memory.recall({ namespace: ["acme"], query: "late invoice" });
    expect(hits[0]?.content).toBe("The invoice for March was paid late");
    // The index exists on the owning master only: each shard indexes its own keys.
    const owner = client!.getSlotMaster(keySlot(`{${prefix}}:`));
    for (const master of client!.masters) {
      const node = await client!.nodeClient(master);
      const indexes = (await node.sendCommand(["FT._LIST"])) as string[];
      expect(indexes.some((name) => name.startsWith(`{${prefix}}:`))).toBe(
        master.address === owner.address,
      );
    }
    await backend.drop();
    await memory.close();
  });
});
