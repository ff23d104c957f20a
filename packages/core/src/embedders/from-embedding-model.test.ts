import type { EmbeddingModelV2, EmbeddingModelV3, EmbeddingModelV4 } from "@ai-sdk/provider";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type EmbeddingModelLike,
  fromEmbeddingModel,
  isEmbeddingModel,
} from "./from-embedding-model.js";
import { toEmbedder } from "./to-embedder.js";

function fakeModel(version: "v2" | "v3" | "v4", maxEmbeddingsPerCall: number | undefined) {
  const calls: string[][] = [];
  const model = {
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

  it("is recognised by toEmbedder", () => {
    const { model } = fakeModel("v4", 10);
    expect(isEmbeddingModel(model)).toBe(true);
    expect(toEmbedder(model).model).toBe("acme:embed-small");
    expect(isEmbeddingModel({ specificationVersion: "v1", doEmbed() {} })).toBe(false);
  });
});
