import type { TestProject } from "vitest/node";
import { startRedisCluster } from "./redis-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Redis Cluster the tests use: REDIS_CLUSTER_URLS, or a cluster started for the run. */
    redisClusterUrls: string[];
  }
}

/**
 * A vitest global setup that gives the tests a Redis Cluster (`inject("redisClusterUrls")`):
 * REDIS_CLUSTER_URLS when set, otherwise 3 masters and 3 replicas of our own, stopped after.
 */
export default async function setup(project: TestProject) {
  const cluster = await startRedisCluster();
  project.provide("redisClusterUrls", cluster.urls);
  return () => cluster.stop();
}
