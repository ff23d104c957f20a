import type { EmbeddingModelV2 } from "@ai-sdk/provider";
import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import * as ai6 from "ai";
import * as ai6Test from "ai/test";
import * as ai7 from "ai-v7";
import * as ai7Test from "ai-v7/test";
import { describe, expect, it } from "vitest";

// `createMemory({ embedder })` takes an AI SDK embedding model as it is. These tests hand the
// same kind of model to the AI SDK's own `embedMany` and to Engram, and check that Engram asks
// the model for embeddings exactly as `embedMany` does: the same requests, in the same order.

// The AI SDK warns once per v2 model that it runs in compatibility mode; expected here.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const vectors = createTestEmbedder({ dimensions: 64 });
const embed = async ({ values }: { values: string[] }) => ({
  embeddings: (await vectors.embed(values)).map((vector) => Array.from(vector)),
  warnings: [],
});

interface Limits {
  maxEmbeddingsPerCall?: number;
  maxInputBytesPerCall?: number;
}

/** A model and the `values` of each doEmbed call it received. */
type Recording = { model: object; requests: () => string[][] };

function v2Model(limits: Limits): Recording {
  const requests: string[][] = [];
  const model: EmbeddingModelV2<string> = {
    specificationVersion: "v2",
    provider: "acme",
    modelId: "embed-v2",
    maxEmbeddingsPerCall: limits.maxEmbeddingsPerCall,
    supportsParallelCalls: false,
    async doEmbed(options) {
      requests.push(options.values);
      return embed(options);
    },
  };
  return { model, requests: () => requests };
}

/** The constructor the majors' mock embedding models share (ai 7's v3 mock has no byte limit). */
type EmbeddingMock = new (options: {
  provider: string;
  modelId: string;
  maxEmbeddingsPerCall: number | null;
  maxInputBytesPerCall: number | undefined;
  doEmbed: typeof embed;
}) => { doEmbedCalls: Array<{ values: string[] }> };

function mockModel(Mock: EmbeddingMock, limits: Limits): Recording {
  const model = new Mock({
    provider: "acme",
    modelId: "embed",
    maxEmbeddingsPerCall: limits.maxEmbeddingsPerCall ?? null,
    maxInputBytesPerCall: limits.maxInputBytesPerCall,
    doEmbed: embed,
  });
  return { model, requests: () => model.doEmbedCalls.map((call) => call.values) };
}

const cases = [
  { major: "ai 6", embedMany: ai6.embedMany, spec: "v2", make: v2Model },
  {
    major: "ai 6",
    embedMany: ai6.embedMany,
    spec: "v3",
    make: (l: Limits) => mockModel(ai6Test.MockEmbeddingModelV3 as unknown as EmbeddingMock, l),
  },
  { major: "ai 7", embedMany: ai7.embedMany, spec: "v2", make: v2Model },
  {
    major: "ai 7",
    embedMany: ai7.embedMany,
    spec: "v3",
    make: (l: Limits) => mockModel(ai7Test.MockEmbeddingModelV3 as unknown as EmbeddingMock, l),
  },
  {
    major: "ai 7",
    embedMany: ai7.embedMany,
    spec: "v4",
    make: (l: Limits) => mockModel(ai7Test.MockEmbeddingModelV4 as unknown as EmbeddingMock, l),
  },
];

const texts = [
  "Alice prefers meetings before noon",
  "The team deploys on Tuesdays",
  "Bob is on call this week",
  "The main database is PostgreSQL 16",
  "Offsite in Berlin in June",
  "Lunch order: vegetarian for Priya",
  "Quarterly review on the 30th",
];

const limitCases: Array<[string, Limits]> = [
  ["maxEmbeddingsPerCall", { maxEmbeddingsPerCall: 3 }],
  ["no limit", {}],
  ["maxEmbeddingsPerCall and a byte limit", { maxEmbeddingsPerCall: 3, maxInputBytesPerCall: 70 }],
];

describe.each(cases)("an embedding model of spec $spec on $major", ({ embedMany, make, spec }) => {
  // The byte limit is a capability of v3 and v4 models; v2 has no place for it.
  const limits = spec === "v2" ? limitCases.slice(0, 2) : limitCases;
  it.each(limits)("is asked exactly as embedMany asks it, with %s", async (_, limits) => {
    const reference = make(limits);
    const result = await embedMany({
      model: reference.model as never,
      values: texts,
      maxRetries: 0,
    });
    expect(result.embeddings).toHaveLength(texts.length);

    const engram = make(limits);
    const memory = createMemory({
      backend: sqliteBackend({ path: ":memory:" }),
      embedder: engram.model as never,
    });
    await memory.remember(texts.map((content) => ({ namespace: ["acme"], content })));
    expect(engram.requests()).toEqual(reference.requests());

    // The vectors landed on the right memories: each text finds itself first.
    for (const text of [texts[0]!, texts[6]!]) {
      const [best] = await memory.recall({ namespace: ["acme"], query: text, mode: "semantic" });
      expect(best?.content).toBe(text);
    }
    const [stored] = (await memory.list({ namespace: ["acme"], limit: 1 })).memories;
    expect(stored?.embedding).toEqual({
      model: `acme:${spec === "v2" ? "embed-v2" : "embed"}`,
      dimensions: 64,
    });
    await memory.close();
  });
});
