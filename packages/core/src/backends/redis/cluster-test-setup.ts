import { randomUUID } from "node:crypto";
import { createCluster } from "redis";
import { afterAll } from "vitest";
import { describeMemoryContract } from "../../testing/index.js";
import {
  type StartRedisClusterOptions,
  startRedisCluster,
  type TestRedisCluster,
} from "../../testing/redis-cluster.js";
import { type RedisBackendOptions, redisBackend } from "./redis-backend.js";

function connectCluster(urls: readonly string[]) {
  return createCluster({ rootNodes: urls.map((url) => ({ url })) });
}

export type TestClusterClient = ReturnType<typeof connectCluster>;

/**
 * A test file's Redis Cluster (`startRedisCluster`) and a connected cluster client, both closed
 * after the file's tests. Tests only.
 */
export async function clusterForTests(
  options: StartRedisClusterOptions = {},
): Promise<{ cluster: TestRedisCluster; client: TestClusterClient }> {
  const cluster = await startRedisCluster(options);
  const client = connectCluster(cluster.urls);
  await client.connect();
  afterAll(async () => {
    await client.close();
    await cluster.stop();
  });
  return { cluster, client };
}

/**
 * A cluster whose every node loads the RediSearch build `modulePath` names, or `undefined` (after
 * printing why the suite is skipped) when it names none. Tests only.
 */
export async function searchClusterForTests(
  modulePath: string | undefined,
  skipped: string,
): Promise<TestClusterClient | undefined> {
  if (!modulePath) {
    console.warn(skipped);
    return undefined;
  }
  const { client } = await clusterForTests({
    ownNodes: true,
    serverArguments: ["--loadmodule", modulePath],
  });
  return client;
}

/** The memory contract on a Redis backend over a cluster client, each test under its own prefix. */
export function describeClusterContract(
  name: string,
  client: () => TestClusterClient,
  options: Omit<RedisBackendOptions, "prefix" | "log"> = {},
): void {
  describeMemoryContract({
    name,
    create() {
      const prefix = `test-${randomUUID()}`;
      const backend = () =>
        redisBackend({ client: client() }, { ...options, prefix, log: () => undefined });
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
}
