import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { redisBackend } from "./redis-backend.js";
import type { RedisClientLike } from "./redis-client.js";
import { detectSearchModule } from "./search-module.js";

const url = inject("redisUrl");

const admin = createClient({ url });
await admin.connect();
const searchModule = await detectSearchModule(admin as never);
await admin.close();

type Args = readonly (string | Buffer)[];

/**
 * A real client whose `sendCommand` fails for the commands `refuse` picks, as a server that
 * refuses them would: the rest reach Redis. Its duplicates (the backend's own connections) are
 * plain ones.
 */
async function refusingClient(refuse: (args: Args) => string | undefined) {
  const client = createClient({ url });
  await client.connect();
  const sent: Args[] = [];
  const wrapped = new Proxy(client as unknown as RedisClientLike, {
    get(target, property) {
      if (property !== "sendCommand") {
        // node-redis keeps its state in private fields: its methods need the client as `this`.
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (args: Args, options?: object) => {
        sent.push(args);
        const refusal = refuse(args);
        if (refusal) return Promise.reject(new Error(refusal));
        return target.sendCommand(args, options);
      };
    },
  });
  return { client: wrapped, sent, close: () => client.close() };
}

async function dropPrefix(prefix: string) {
  const client = createClient({ url });
  await client.connect();
  for (const name of (await client.sendCommand(["FT._LIST"])) as string[])
    if (name.startsWith(`{${prefix}}:`)) await client.sendCommand(["FT.DROPINDEX", name]);
  for await (const batch of client.scanIterator({ MATCH: `{${prefix}}:*`, COUNT: 500 }))
    if (batch.length > 0) await client.del(batch);
  await client.close();
}

/**
 * A memory over a backend whose base connection records every command it sends (in `sent`),
 * dropped with its prefix when the test ends.
 */
async function watchedMemory(prefix: string) {
  const { client, sent, close } = await refusingClient(() => undefined);
  const memory = createMemory({
    backend: redisBackend({ client }, { prefix, log: () => undefined }),
    embedder: createTestEmbedder(),
    dedup: false,
  });
  onTestFinished(async () => {
    await memory.close();
    await close();
    await dropPrefix(prefix);
  });
  return { memory, sent };
}

const FACTS = [
  "The invoice for March was paid late",
  "Invoices go to the finance team",
  "The office plants need water on Mondays",
];

describe.skipIf(!searchModule)("redis search mode: vector search and recorded uses", () => {
  it("shows a recall's uses to the next get, recall and update at once", async () => {
    const prefix = `test-${randomUUID()}`;
    const memory = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
    });
    onTestFinished(async () => {
      await memory.close();
      await dropPrefix(prefix);
    });
    const [made] = await memory.remember([{ namespace: ["t"], content: FACTS[0]! }]);
    const id = made!.id;
    const recalled = await memory.recall({ namespace: ["t"], query: FACTS[0]!, mode: "semantic" });
    expect(recalled.map((hit) => [hit.id, hit.accessCount])).toEqual([[id, 1]]);
    expect((await memory.get(id))?.accessCount).toBe(1);
    const again = await memory.recall({ namespace: ["t"], query: FACTS[0]!, mode: "semantic" });
    expect(again[0]?.accessCount).toBe(2);
    // A write goes out on another connection: the uses sent before it must not be lost.
    await memory.recall({ namespace: ["t"], query: FACTS[0]! });
    const updated = await memory.update(id, { importance: 0.9 });
    expect(updated.accessCount).toBe(3);
    expect((await memory.get(id))?.accessCount).toBe(3);
  });

  it("runs the KNN and reads its hits in one script, touching them in another", async () => {
    const { memory, sent } = await watchedMemory(`test-${randomUUID()}`);
    await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
    await memory.recall({ namespace: ["t"], query: "late invoice", mode: "semantic" });
    sent.length = 0;
    const hits = await memory.recall({
      namespace: ["t"],
      query: "late invoice",
      mode: "semantic",
      limit: 2,
    });
    expect(hits).toHaveLength(2);
    // The planner's background refresh of the scope's size (ZCARD) may fall in between.
    const commands = sent.map((args) => String(args[0])).filter((name) => name !== "ZCARD");
    expect(commands).toEqual(["EVALSHA", "EVAL"]);
  });

  it("takes a semantic recall's hits from the records a hybrid recall holds, seeing other processes' writes", async () => {
    const prefix = `test-${randomUUID()}`;
    const { memory, sent } = await watchedMemory(prefix);
    // Another process: it holds no records, so it reads its hits by the script.
    const other = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
    onTestFinished(() => other.close());
    const made = await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
    // A hybrid recall holds the scope's records in process.
    await memory.recall({ namespace: ["t"], query: "late invoice" });
    const semantic = (query: string) =>
      memory.recall({
        namespace: ["t"],
        query,
        mode: "semantic",
        ranking: false,
        recordAccess: false,
      });
    sent.length = 0;
    const held = await semantic("late invoice");
    // Only the KNN, beside the change feed's barrier, on the backend's own connections: no
    // script reads the hits.
    expect(sent.map((args) => String(args[0])).filter((name) => name !== "ZCARD")).toEqual([]);
    const read = await other.recall({
      namespace: ["t"],
      query: "late invoice",
      mode: "semantic",
      ranking: false,
      recordAccess: false,
    });
    expect(held.map((hit) => [hit.id, hit.score, hit.content])).toEqual(
      read.map((hit) => [hit.id, hit.score, hit.content]),
    );
    // The other process's writes show at once.
    const [added] = await other.remember([
      { namespace: ["t"], content: "The invoice for April was paid late too" },
    ]);
    expect((await semantic("April invoice paid late")).map((hit) => hit.id)).toContain(added!.id);
    await other.forget(made[0]!.id);
    const after = await semantic("The invoice for March was paid late");
    expect(after.map((hit) => hit.id)).not.toContain(made[0]!.id);
    expect(after.length).toBeGreaterThan(0);
  });

  it("falls back to two round trips where FT.SEARCH may not run in a script, and says so once", async () => {
    const prefix = `test-${randomUUID()}`;
    const refused = (args: Args) =>
      args[0] === "EVALSHA" || (args[0] === "EVAL" && String(args[1]).includes("FT.SEARCH"))
        ? "ERR Error running script: @user_script:10: ERR Blocking module command called from Lua script"
        : undefined;
    const { client, close } = await refusingClient(refused);
    const log = vi.fn();
    const memory = createMemory({
      backend: redisBackend({ client }, { prefix, log }),
      embedder: createTestEmbedder(),
      dedup: false,
    });
    const reference = createMemory({
      backend: redisBackend({ url }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
    });
    onTestFinished(async () => {
      await memory.close();
      await reference.close();
      await close();
      await dropPrefix(prefix);
    });
    await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
    // The same hits in the same order, and the same scores but for float noise: RediSearch
    // computes a distance a few units in the eleventh digit apart from one path to the other.
    const ask = async (on: typeof memory) =>
      (
        await on.recall({
          namespace: ["t"],
          query: "late invoice",
          mode: "semantic",
          recordAccess: false,
        })
      ).map(({ score, ...hit }) => ({ ...hit, score: score.toFixed(8) }));
    const expected = await ask(reference);
    expect(expected.length).toBe(3);
    expect(await ask(memory)).toEqual(expected);
    expect(await ask(memory)).toEqual(expected);
    const said = log.mock.calls.filter(([line]) => String(line).includes("two round trips"));
    expect(said).toHaveLength(1);
  });

  it("returns a recall whose uses could not be recorded, and warns once", async () => {
    const prefix = `test-${randomUUID()}`;
    const refused = (args: Args) =>
      args[0] === "EVAL" && String(args[1]).includes("HINCRBY") ? "ERR out of memory" : undefined;
    const { client, close } = await refusingClient(refused);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const memory = createMemory({
      backend: redisBackend({ client }, { prefix, log: () => undefined }),
      embedder: createTestEmbedder(),
    });
    onTestFinished(async () => {
      warn.mockRestore();
      await memory.close();
      await close();
      await dropPrefix(prefix);
    });
    const [made] = await memory.remember([{ namespace: ["t"], content: FACTS[0]! }]);
    for (let i = 0; i < 3; i++)
      expect(await memory.recall({ namespace: ["t"], query: FACTS[0]! })).toHaveLength(1);
    expect((await memory.get(made!.id))?.accessCount).toBe(0);
    const warned = warn.mock.calls.filter(([line]) => String(line).includes("uses of recalled"));
    expect(warned).toHaveLength(1);
  });
});
