import { describe, expect, it } from "vitest";
import { EngramError } from "../errors/engram-error.js";
import type { Embedder } from "./embedder.js";
import { createEmbeddingPipeline } from "./embedding-pipeline.js";

function counting(vectors: (text: string) => number[]): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    model: "m",
    texts,
    async embed(batch) {
      texts.push(...batch);
      return batch.map(vectors);
    },
  };
}

describe("createEmbeddingPipeline", () => {
  it("returns unit vectors and embeds each distinct text once", async () => {
    const embedder = counting((text) => [text.length, 0, 0]);
    const pipeline = createEmbeddingPipeline({ embedder });
    const [a, b, c] = await pipeline.embedDocuments(["xx", "yyy", "xx"]);
    expect(Array.from(a!)).toEqual([1, 0, 0]);
    expect(c).toBe(a);
    expect(b).not.toBe(a);
    await pipeline.embedDocuments(["yyy"]);
    await pipeline.embedQuery("xx");
    expect(embedder.texts).toEqual(["xx", "yyy"]);
    expect(pipeline.dimensions).toBe(3);
  });

  it("asks the store before the embedder", async () => {
    const embedder = counting(() => [1, 0]);
    const stored = new Map([["known-hash", Float32Array.from([0, 1])]]);
    const pipeline = createEmbeddingPipeline({ embedder, lookup: async () => stored });
    const [vector] = await pipeline.embedDocuments(["anything"], ["known-hash"]);
    expect(Array.from(vector!)).toEqual([0, 1]);
    expect(embedder.texts).toEqual([]);
  });

  it.each([
    ["a zero vector", () => [0, 0]],
    ["a NaN", () => [Number.NaN, 1]],
    ["an empty vector", () => []],
  ])("rejects %s as EMBEDDER_FAILED", async (_, make) => {
    const pipeline = createEmbeddingPipeline({ embedder: counting(make) });
    await expect(pipeline.embedDocuments(["x"])).rejects.toMatchObject({ code: "EMBEDDER_FAILED" });
  });

  it("rejects vectors whose length differs from the store's", async () => {
    const pipeline = createEmbeddingPipeline({
      embedder: counting(() => [1, 2, 3]),
      expectedDimensions: 4,
    });
    const error = await pipeline.embedDocuments(["x"]).catch((e: unknown) => e);
    expect(EngramError.isInstance(error) && error.code).toBe("DIMENSION_MISMATCH");
  });

  it("rejects a batch whose vectors disagree in length", async () => {
    const pipeline = createEmbeddingPipeline({
      embedder: counting((t) => (t === "a" ? [1, 2] : [1, 2, 3])),
    });
    await expect(pipeline.embedDocuments(["a", "b"])).rejects.toMatchObject({
      code: "DIMENSION_MISMATCH",
    });
  });
});
