import { randomUUID } from "node:crypto";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import type { Backend } from "../backends/backend.js";
import { redisBackend } from "../backends/redis/redis-backend.js";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import type { Embedder } from "../embedders/embedder.js";
import { dropRedisPrefix } from "../testing/redis-global-setup.js";
import { createTestEmbedder } from "../testing/test-embedder.js";
import { createMemory, type Memory } from "./create-memory.js";
import type { RestoreItem } from "./restore.js";

// Issue 14, item 7: an import embedded every memory again, though the export came from a store
// on the same model. `memory.vectors` gives what an export carries; `restore` takes it as is.

const backends: [string, () => Backend][] = [
  ["sqlite", () => sqliteBackend({ path: ":memory:" })],
  [
    "redis",
    () => {
      const url = inject("redisUrl");
      const prefix = `test-${randomUUID()}`;
      onTestFinished(() => dropRedisPrefix(url, prefix));
      return redisBackend({ url }, { prefix, log: () => undefined });
    },
  ],
];

function open(makeBackend: () => Backend, embedder: Embedder): Memory {
  const memory = createMemory({ backend: makeBackend(), embedder });
  onTestFinished(() => memory.close());
  return memory;
}

const CONTENTS = ["Deploys happen on Tuesdays.", "Alice prefers tea.", "The VPN is WireGuard."];

/** A source store's memories as export lines carry them, with or without their vectors. */
async function exported(source: Memory, withVectors: boolean): Promise<RestoreItem[]> {
  const { memories } = await source.list({ within: [["acme"], ["globex"]], limit: 100 });
  const stored = await source.vectors(memories.map((memory) => memory.id));
  const items = await Promise.all(
    memories.map(async (memory, index) => ({
      memory,
      history: await source.history(memory.id),
      ...(withVectors
        ? { vector: { model: stored[index]!.model, values: [...stored[index]!.vector] } }
        : {}),
    })),
  );
  // Through JSON, as an export file carries them.
  return JSON.parse(JSON.stringify(items)) as RestoreItem[];
}

describe.each(backends)("export vectors on %s", (_name, makeBackend) => {
  it("gives each memory's stored vector and model, undefined for an unknown id", async () => {
    const embedder = createTestEmbedder();
    const source = open(makeBackend, embedder);
    const [a, b] = await source.remember([
      { namespace: ["acme", "team"], content: CONTENTS[0]! },
      { namespace: ["globex"], content: CONTENTS[1]! },
    ]);
    const unknown = "00000000-0000-7000-8000-000000000000";
    const found = await source.vectors([a!.id, unknown, b!.id]);
    const [expected] = await createTestEmbedder().embed([CONTENTS[0]!]);
    expect(found[1]).toBeUndefined();
    expect(found[0]!.model).toBe(embedder.model);
    expect(found[0]!.vector).toHaveLength(expected!.length);
    expect(found[2]!.vector).toHaveLength(expected!.length);
    await expect(source.vectors(["not an id", 5] as never)).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  // Redis kept one id per content hash for the whole store: another tenant's memory with the
  // same content took the entry over, and forgetting it left the first memories without a vector.
  it("gives each memory its vector whatever other memories hold the same content", async () => {
    const memory = open(makeBackend, createTestEmbedder());
    const [one, two, other] = await memory.remember([
      { namespace: ["acme", "one"], content: CONTENTS[0]! },
      { namespace: ["acme", "two"], content: CONTENTS[0]! },
      { namespace: ["globex"], content: CONTENTS[0]! },
    ]);
    const ids = [one!.id, two!.id, other!.id];
    expect((await memory.vectors(ids)).map((entry) => entry?.vector.length)).toEqual([
      256, 256, 256,
    ]);
    await memory.forget([two!.id, other!.id]);
    const [kept, ...gone] = await memory.vectors(ids);
    expect(kept!.vector).toHaveLength(256);
    expect(gone).toEqual([undefined, undefined]);
  });

  it("restores carried vectors without embedding when the model matches, exactly", async () => {
    const source = open(makeBackend, createTestEmbedder());
    await source.remember(
      CONTENTS.map((content, i) => ({ namespace: i === 1 ? ["globex"] : ["acme"], content })),
    );
    const items = await exported(source, true);
    const embedder = createTestEmbedder();
    const target = open(makeBackend, embedder);
    expect(await target.restore(items)).toEqual({ restored: 3, skipped: 0 });
    expect(embedder.texts).toEqual([]);
    // The carried vectors are the stored ones: a search finds each memory first by its text.
    const [acme] = await target.recall({ namespace: ["acme"], query: CONTENTS[2]! });
    expect(acme!.content).toBe(CONTENTS[2]);
    const copied = await target.vectors(items.map((item) => item.memory.id as string));
    expect(copied.map((entry) => [...entry!.vector])).toEqual(
      items.map((item) => [...Float32Array.from(item.vector!.values)]),
    );
  });

  it("embeds again when the model differs or the export carries no vectors", async () => {
    const source = open(makeBackend, createTestEmbedder());
    await source.remember(CONTENTS.map((content) => ({ namespace: ["acme"], content })));

    const other = createTestEmbedder({ model: "another-model" });
    await open(makeBackend, other).restore(await exported(source, true));
    expect(other.texts.sort()).toEqual([...CONTENTS].sort());

    const same = createTestEmbedder();
    await open(makeBackend, same).restore(await exported(source, false));
    expect(same.texts.sort()).toEqual([...CONTENTS].sort());
  });

  it("refuses a carried vector of the wrong length, writing nothing", async () => {
    const source = open(makeBackend, createTestEmbedder());
    await source.remember({ namespace: ["acme"], content: CONTENTS[0]! });
    const [item] = await exported(source, true);
    const target = open(makeBackend, createTestEmbedder());
    await target.remember({ namespace: ["acme"], content: "binds the store" });
    await expect(
      target.restore([{ ...item!, vector: { model: item!.vector!.model, values: [1, 2, 3] } }]),
    ).rejects.toMatchObject({ code: "DIMENSION_MISMATCH" });
    expect(await target.get(item!.memory.id as string)).toBeUndefined();
  });
});
