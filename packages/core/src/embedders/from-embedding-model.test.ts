import type { EmbeddingModelV2, EmbeddingModelV3, EmbeddingModelV4 } from "@ai-sdk/provider";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type EmbeddingModelLike,
  fromEmbeddingModel,
  isEmbeddingModel,
} from "./from-embedding-model.js";
import { toEmbedder } from "./to-embedder.js";

function fakeModel(
  version: "v2" | "v3" | "v4",
  maxEmbeddingsPerCall: number | undefined,
  maxInputBytesPerCall?: number,
) {
  const calls: string[][] = [];
  const model = {
    // Where AI SDK providers declare a byte limit per request (OpenAI's is 300,000).
    [Symbol.for("vercel.ai.embeddingModel.maxInputBytesPerCall")]: maxInputBytesPerCall,
    specificationVersion: version,
    provider: "acme",
    modelId: "embed-small",
    maxEmbeddingsPerCall: Promise.resolve(maxEmbeddingsPerCall),
    supportsParallelCalls: false,
    async doEmbed({ values }: { values: string[] }) {
      calls.push(values);
      return { embeddings: values.map((value) => [value.length, 1, 0]), warnings: [] };
    },
  };
  return { model, calls };
}

describe("fromEmbeddingModel", () => {
  it("accepts the AI SDK's v2, v3 and v4 embedding model types", () => {
    expectTypeOf<EmbeddingModelV2<string>>().toExtend<EmbeddingModelLike>();
    expectTypeOf<EmbeddingModelV3>().toExtend<EmbeddingModelLike>();
    expectTypeOf<EmbeddingModelV4>().toExtend<EmbeddingModelLike>();
  });

  it.each(["v2", "v3", "v4"] as const)(
    "embeds through a %s model in order, within its batch limit",
    async (version) => {
      const { model, calls } = fakeModel(version, 2);
      const embedder = fromEmbeddingModel(model);
      expect(embedder.model).toBe("acme:embed-small");
      const vectors = await embedder.embed(["a", "bb", "ccc", "dddd", "eeeee"]);
      expect(vectors.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
      expect(calls).toEqual([["a", "bb"], ["ccc", "dddd"], ["eeeee"]]);
    },
  );

  it("sends everything at once when the model has no limit", async () => {
    const { model, calls } = fakeModel("v3", undefined);
    await fromEmbeddingModel(model).embed(["a", "b", "c"]);
    expect(calls).toHaveLength(1);
  });

  it("also splits by the bytes a request may carry, as embedMany does", async () => {
    const { model, calls } = fakeModel("v4", 10, 8);
    // "ééé" is 6 bytes in UTF-8: a request holds at most 8 bytes, and a text over the limit
    // still goes, alone.
    await fromEmbeddingModel(model).embed(["ab", "ééé", "c", "dddddddddd", "e", "f"]);
    expect(calls).toEqual([["ab", "ééé"], ["c"], ["dddddddddd"], ["e", "f"]]);
  });

  it("treats an infinite limit as none", async () => {
    const { model, calls } = fakeModel("v3", Number.POSITIVE_INFINITY);
    const embedder = fromEmbeddingModel(model);
    await embedder.embed(["a", "b", "c"]);
    expect(calls).toEqual([["a", "b", "c"]]);
    expect(embedder.maxBatchSize).toBeUndefined();
  });

  it("refuses a model that declares a limit below 1 instead of looping forever", async () => {
    const { model, calls } = fakeModel("v3", 0);
    await expect(fromEmbeddingModel(model).embed(["a"])).rejects.toMatchObject({
      code: "EMBEDDER_FAILED",
    });
    expect(calls).toEqual([]);
  });

  it("sends nothing for no texts", async () => {
    const { model, calls } = fakeModel("v2", 2);
    expect(await fromEmbeddingModel(model).embed([])).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("is recognised by toEmbedder", () => {
    const { model } = fakeModel("v4", 10);
    expect(isEmbeddingModel(model)).toBe(true);
    expect(toEmbedder(model).model).toBe("acme:embed-small");
    expect(isEmbeddingModel({ specificationVersion: "v1", doEmbed() {} })).toBe(false);
  });
});
