import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, redisBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import type {} from "@engram/core/testing/redis-cluster-global-setup";
import { describe, expect, inject, it } from "vitest";
import { assertBuilt, runCli } from "../testing/run-cli.js";

// The CLI on a Redis Cluster: only in the redis-cluster project, which starts one.
const onCluster = process.env.ENGRAM_TEST_BACKEND === "redis-cluster";
if (!onCluster)
  console.info("[engram] engram --redis-cluster tests run in the redis-cluster project only.");

describe.runIf(onCluster)("engram --redis-cluster", () => {
  it("counts a store that lives on a cluster, from the nodes' URLs", async () => {
    assertBuilt();
    const urls = inject("redisClusterUrls");
    const prefix = `cli-cluster-${randomUUID()}`;
    const backend = redisBackend({ clusterUrls: urls }, { prefix, log: () => undefined });
    const memory = createMemory({ backend, embedder: createTestEmbedder() });
    await memory.remember([
      { namespace: ["acme", "team"], content: "Deploys happen on Tuesdays" },
      { namespace: ["acme", "team"], content: "The office is closed on Fridays" },
    ]);
    const directory = await mkdtemp(join(tmpdir(), "engram-cli-cluster-"));
    try {
      const result = await runCli(
        ["stats", "--json", "--redis-cluster", urls.join(","), "--prefix", prefix],
        { cwd: directory },
      );
      expect(result.code, result.stderr).toBe(0);
      const stats = JSON.parse(result.stdout);
      expect(stats.storage).toMatch(/^redis cluster \(/);
      expect(stats.total).toBe(2);
    } finally {
      await backend.drop();
      await memory.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
