import { randomUUID } from "node:crypto";
import type {} from "@engram/core/testing/redis-global-setup";
import { createClient } from "redis";
import { inject } from "vitest";

/** A prefix no other test uses. */
export function uniquePrefix(label = "t"): string {
  return `lgtest-${label}-${randomUUID().slice(0, 8)}`;
}

export type TestClient = ReturnType<typeof createClient>;

/** A connected client on the test Redis; close it after. */
export async function testClient(): Promise<TestClient> {
  const client = createClient({ url: inject("redisUrl") });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** Every key whose name contains `prefix` (SCAN: tests only). */
export async function keysContaining(client: TestClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `*${prefix}*`, COUNT: 1000 })) {
    found.push(...batch);
  }
  return found.sort();
}
