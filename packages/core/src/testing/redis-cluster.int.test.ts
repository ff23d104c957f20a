import { createCluster } from "redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRedisCluster, type TestRedisCluster } from "./redis-cluster.js";

let cluster: TestRedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(() => cluster?.stop());

it("starts three masters, each with a replica, that cover every slot", async () => {
  const client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
  await client.connect();
  try {
    expect(client.masters).toHaveLength(3);
    const nodes = (await client.sendCommand(undefined, true, ["CLUSTER", "NODES"])) as string;
    const roles = nodes
      .trim()
      .split("\n")
      .map((line) => line.split(" ")[2]!.replace("myself,", ""));
    expect(roles.sort()).toEqual(["master", "master", "master", "slave", "slave", "slave"]);
    const info = (await client.sendCommand(undefined, true, ["CLUSTER", "INFO"])) as string;
    expect(info).toContain("cluster_slots_assigned:16384");
  } finally {
    await client.close();
  }
});
