import { createMemory, type Memory, redisBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { startServer } from "../serve/start-server.js";
import { type RestartableRedis, startRestartableRedis } from "../testing/loading-redis.js";
import { TEST_BACKEND } from "../testing/test-server.js";

// Issue 14, item 6: while Redis reloads its dataset after a restart it answers LOADING, and
// reads failed at once. They now wait and retry for `loadingWaitMs`; past it they fail with
// BACKEND_UNAVAILABLE, a 503 with a generic message over REST. This file starts its own
// redis-server (Redis 7's key-load-delay keeps it loading), so it runs in the redis project.

const FILLER_KEYS = 30_000;
// Microseconds per key while loading: 30,000 keys take several seconds.
const KEY_LOAD_DELAY_US = 150;
const PREFIX = "loading";

function open(url: string, loadingWaitMs: number): Memory {
  const memory = createMemory({
    backend: redisBackend({ url }, { prefix: PREFIX, loadingWaitMs, log: () => undefined }),
    embedder: createTestEmbedder(),
  });
  onTestFinished(() => memory.close());
  return memory;
}

describe.runIf(TEST_BACKEND === "redis")(
  "Redis loading its dataset after a restart (redis project: it runs its own redis-server)",
  () => {
    let redis: RestartableRedis;
    let ids: string[];
    beforeAll(async () => {
      redis = await startRestartableRedis();
      const memory = createMemory({
        backend: redisBackend({ url: redis.url }, { prefix: PREFIX, log: () => undefined }),
        embedder: createTestEmbedder(),
      });
      const stored = await memory.remember([
        { namespace: ["t"], content: "Deploys happen on Tuesdays." },
        { namespace: ["t"], content: "The VPN is WireGuard." },
      ]);
      ids = stored.map((result) => result.id);
      await memory.close();
      for (let start = 0; start < FILLER_KEYS; start += 1000) {
        const pairs: string[] = [];
        for (let i = start; i < start + 1000; i++) pairs.push(`filler:${i}`, "x");
        await redis.command(["MSET", ...pairs]);
      }
    });
    afterAll(() => redis?.stop());

    it("a read waits while Redis answers LOADING, then succeeds within loadingWaitMs", async () => {
      await redis.restartLoading(KEY_LOAD_DELAY_US);
      expect(await redis.loading()).toBe(true);
      const memory = open(redis.url, 120_000);
      const page = await memory.list({ within: [["t"]] });
      expect(page.memories.map((record) => record.id).sort()).toEqual([...ids].sort());
      expect(await redis.loading()).toBe(false);
    });

    it("a write waits too, and lands once", async () => {
      const memory = open(redis.url, 120_000);
      await memory.get(ids[0]!);
      await redis.restartLoading(KEY_LOAD_DELAY_US);
      expect(await redis.loading()).toBe(true);
      const [result] = await memory.remember([{ namespace: ["t"], content: "Lunch is at noon." }]);
      expect(result!.status).toBe("created");
      expect(await memory.count({ within: [["t"]] })).toBe(3);
      await memory.forget(result!.id);
    });

    it("past loadingWaitMs fails as BACKEND_UNAVAILABLE: over REST a 503, the detail in the log", async () => {
      const memory = open(redis.url, 300);
      const server = await startServer({ memory, port: 0, rateLimit: false });
      const logged: string[] = [];
      const error = vi.spyOn(console, "error").mockImplementation((...args) => {
        logged.push(args.map((arg) => String((arg as Error)?.message ?? arg)).join(" "));
      });
      onTestFinished(async () => {
        error.mockRestore();
        await server.close();
      });
      await redis.restartLoading(KEY_LOAD_DELAY_US);
      expect(await redis.loading()).toBe(true);

      await expect(memory.list({ within: [["t"]] })).rejects.toMatchObject({
        code: "BACKEND_UNAVAILABLE",
      });
      const response = await fetch(`${server.url}/v1/memories?within=t`);
      const body = await response.json();
      expect(response.status).toBe(503);
      expect(body).toEqual({
        name: "EngramError",
        code: "BACKEND_UNAVAILABLE",
        message: "The store is unavailable; retry later.",
      });
      expect(logged.join("\n")).toMatch(/LOADING/);
      // Still loading: the calls gave up at their bound, not because loading had ended.
      expect(await redis.loading()).toBe(true);
    });
  },
);
