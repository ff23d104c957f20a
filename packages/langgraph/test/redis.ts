import { randomUUID } from "node:crypto";
import type {} from "@engram/core/testing/redis-global-setup";
import { createClient } from "redis";
import { inject } from "vitest";

/** A prefix no other test uses. */
export function uniquePrefix(label = "t"): string {
  return `lgtest-${label}-${randomUUID().slice(0, 8)}`;
}

function createTestClient() {
  return createClient({ url: inject("redisUrl") });
}

export type TestClient = ReturnType<typeof createTestClient>;

/** A connected client on the test Redis; close it after. */
export async function testClient(): Promise<TestClient> {
  const client = createTestClient();
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
