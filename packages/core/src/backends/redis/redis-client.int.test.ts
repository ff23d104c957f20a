import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { createClient as createClientV5 } from "redis-v5";
import { expect, inject, it, onTestFinished } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { describeMemoryContract } from "../../testing/index.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { redisBackend } from "./redis-backend.js";
import type { RedisClientLike } from "./redis-client.js";

// The backend accepts the caller's own node-redis client, of either major and either
// protocol: v6 clients speak RESP3 unless told otherwise, v5 clients RESP2.
const url = inject("redisUrl");
const clients: Record<string, () => RedisClientLike> = {
  "node-redis v6 (RESP3, its default)": () => createClient({ url }),
  "node-redis v6 (RESP3, client-side caching)": () =>
    createClient({ url, clientSideCache: { ttl: 0, maxEntries: 0 } }),
  "node-redis v6 (RESP2)": () => createClient({ url, RESP: 2 }),
  "node-redis v5 (RESP2, its default)": () => createClientV5({ url }),
};

for (const [label, newClient] of Object.entries(clients)) {
  describeMemoryContract({
    name: `redis (plain mode) on the caller's ${label} client`,
    create() {
      const prefix = `test-${randomUUID()}`;
      const client = newClient();
      client.on("error", () => undefined);
      return {
        open: () => redisBackend({ client }, { prefix, mode: "plain", log: () => undefined }),
        async cleanup() {
          const backend = redisBackend({ client }, { prefix, log: () => undefined });
          await backend.drop();
          await backend.close();
          if (client.isOpen) await client.close();
        },
      };
    },
  });

  it(`follows the change feed on the caller's ${label} client`, async () => {
    const client = newClient();
    const sent: string[] = [];
    const send = client.sendCommand.bind(client);
    client.sendCommand = (args, options) => {
      sent.push(String(args[0]));
      return send(args, options);
    };
    const lines: string[] = [];
    const prefix = `test-${randomUUID()}`;
    const backend = redisBackend({ client }, { prefix, mode: "plain", log: (l) => lines.push(l) });
    const memory = createMemory({ backend, embedder: createTestEmbedder(), dedup: false });
    onTestFinished(async () => {
      await backend.drop();
      await memory.close();
      await client.close();
    });
    await memory.remember({ namespace: ["t"], content: "warm" });
    await memory.recall({ namespace: ["t"], query: "warm" });
    const tokenReads = sent.filter((command) => command === "MGET").length;
    await memory.recall({ namespace: ["t"], query: "warm" });
    expect(sent.filter((command) => command === "MGET").length).toBe(tokenReads);
    expect(lines).toEqual([expect.stringMatching(/plain mode/)]); // no "no change feed" line
  });
}

it("reads search replies as RESP2 even when the caller's client speaks RESP3", async () => {
  const name = `engram-resp-${randomUUID()}`;
  const client = createClient({ url, name });
  await client.connect();
  onTestFinished(() => client.close());
  const backend = redisBackend(
    { client },
    { prefix: `test-${randomUUID()}`, log: () => undefined },
  );
  await backend.open();
  onTestFinished(() => backend.close());
  const lines = String(await client.sendCommand(["CLIENT", "LIST"]))
    .split("\n")
    .filter((line) => line.includes(`name=${name} `));
  const protocols = lines.map((line) => /resp=(\d)/.exec(line)![1]).sort();
  // The caller's client and the change feed on RESP3; writes and FT.* on two of RESP2.
  expect(protocols).toEqual(["2", "2", "3", "3"]);
});
