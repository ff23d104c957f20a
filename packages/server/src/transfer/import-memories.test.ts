import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, type Embedder, type Memory } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { confineMemory } from "../tenancy/confine-memory.js";
import { localPrincipal } from "../tenancy/principal.js";
import { testBackend } from "../testing/test-server.js";
import { exportMemories } from "./export-memories.js";
import { importMemories } from "./import-memories.js";

// Issue 14, item 7: `engram import` embedded every memory again, though the export came from a
// store on the same model. Exports now carry each memory's vector with its model.

async function open(embedder: Embedder): Promise<Memory> {
  const directory = await mkdtemp(join(tmpdir(), "engram-transfer-"));
  const store = testBackend(directory);
  const memory = createMemory({ backend: store.backend, embedder });
  onTestFinished(async () => {
    await memory.close();
    await store.drop();
    await rm(directory, { recursive: true, force: true });
  });
  return memory;
}

const CONTENTS = ["Deploys happen on Tuesdays.", "Alice prefers tea.", "The VPN is WireGuard."];

/** The JSON Lines `engram export` writes for the source's `acme` subtree. */
async function exportLines(source: Memory, withVectors: boolean): Promise<string[]> {
  const lines: string[] = [];
  const confined = confineMemory(source, localPrincipal());
  const scope = { within: [["acme"]] };
  for await (const line of exportMemories(confined, scope, { vectors: withVectors })) {
    lines.push(JSON.stringify(line));
  }
  return lines;
}

async function* each(lines: readonly string[]) {
  yield* lines;
}

describe("importing an export", () => {
  it("embeds nothing when the export carries vectors of the store's model", async () => {
    const source = await open(createTestEmbedder());
    await source.remember(CONTENTS.map((content) => ({ namespace: ["acme", "ops"], content })));
    const lines = await exportLines(source, true);
    expect(JSON.parse(lines[0]!).vector).toEqual({
      model: createTestEmbedder().model,
      float32: expect.any(String),
    });

    const embedder = createTestEmbedder();
    const target = await open(embedder);
    expect(await importMemories(target, each(lines))).toEqual({ restored: 3, skipped: 0 });
    expect(embedder.texts).toEqual([]);
    // What was imported exports the same lines again, and searches as the source does.
    expect(await exportLines(target, true)).toEqual(lines);
    const [found] = await target.recall({ namespace: ["acme", "ops"], query: CONTENTS[1]! });
    expect(found!.content).toBe(CONTENTS[1]);
  });

  it("embeds every memory when the model differs or the export has no vectors", async () => {
    const source = await open(createTestEmbedder());
    await source.remember(CONTENTS.map((content) => ({ namespace: ["acme"], content })));

    const other = createTestEmbedder({ model: "another-model" });
    await importMemories(await open(other), each(await exportLines(source, true)));
    expect(other.texts.sort()).toEqual([...CONTENTS].sort());

    const same = createTestEmbedder();
    await importMemories(await open(same), each(await exportLines(source, false)));
    expect(same.texts.sort()).toEqual([...CONTENTS].sort());
  });

  it("refuses a line whose vector has the wrong length, writing nothing", async () => {
    const source = await open(createTestEmbedder());
    await source.remember({ namespace: ["acme"], content: CONTENTS[0]! });
    const [line] = await exportLines(source, true);
    const broken = JSON.parse(line!);
    broken.vector.float32 = Buffer.from(new Float32Array(3).buffer).toString("base64");
    const target = await open(createTestEmbedder());
    await expect(importMemories(target, each([JSON.stringify(broken)]))).rejects.toMatchObject({
      code: "DIMENSION_MISMATCH",
    });
    expect(await target.get(broken.id)).toBeUndefined();
  });
});
