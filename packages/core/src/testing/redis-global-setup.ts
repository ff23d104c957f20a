import { type ChildProcess, spawn } from "node:child_process";
import type { TestProject } from "vitest/node";
import { freePort } from "./free-port.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Redis the tests use: REDIS_URL, or a redis-server started for the run. */
    redisUrl: string;
  }
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const { createClient } = await import("redis");
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = createClient({
      url: `redis://127.0.0.1:${port}`,
      socket: { reconnectStrategy: false },
    });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.ping();
      await client.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error("redis-server did not answer within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * A vitest global setup that gives the tests a Redis (`inject("redisUrl")`): REDIS_URL when
 * set, otherwise a redis-server of our own on a free port, stopped after the run. Use it as
 * `globalSetup: [fileURLToPath(import.meta.resolve("@engram/core/testing/redis-global-setup"))]`.
 */
export default async function setup(project: TestProject) {
  const fromEnvironment = process.env.REDIS_URL;
  if (fromEnvironment) {
    project.provide("redisUrl", fromEnvironment);
    return;
  }
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once("error", resolve);
    child.once("spawn", () => resolve(undefined));
  });
  if (spawned) {
    throw new Error(
      "The Redis tests need a server: install Redis so redis-server is on the PATH (apt-get install redis-server, brew install redis), or set REDIS_URL.",
    );
  }
  await waitForPing(port, child);
  project.provide("redisUrl", `redis://127.0.0.1:${port}`);
  return async () => {
    child.kill();
    await new Promise((resolve) => child.once("exit", resolve));
  };
}

/** Deletes every key under a backend prefix (SCAN: for tests and admin paths only). */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const { createClient } = await import("redis");
  const client = createClient({ url });
  await client.connect();
  // Both key layouts: `<prefix>:<kind>:{<tag>}:...` and the older `{<prefix>}:...`.
  for (const match of [`${prefix}:*`, `{${prefix}}:*`])
    for await (const batch of client.scanIterator({ MATCH: match, COUNT: 500 })) {
      if (batch.length > 0) await client.del(batch);
    }
  await client.close();
}
