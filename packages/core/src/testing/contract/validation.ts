import { describe, expect, it } from "vitest";
import type { Embedder } from "../../embedders/embedder.js";
import type { Memory } from "../../memory/create-memory.js";
import type { RememberInput } from "../../memory/types.js";
import { createTestEmbedder } from "../test-embedder.js";
import { type ContractTarget, everything, expectCode, setUp } from "./harness.js";

async function rejectsWithNothingWritten(
  memory: Memory,
  input: unknown,
  code: string,
): Promise<void> {
  const before = await everything(memory, ["t"]);
  await expectCode(memory.remember(input as RememberInput), code);
  expect(await everything(memory, ["t"])).toEqual(before);
}

export function validationCases(target: ContractTarget): void {
  describe("bad input", () => {
    it.each([
      ["empty content", { content: "" }],
      ["blank content", { content: " \n\t " }],
      ["non-string content", { content: 42 }],
      ["metadata with a function", { metadata: { f: () => 1 } }],
      ["metadata with NaN", { metadata: { n: Number.NaN } }],
      ["metadata with a Date", { metadata: { at: new Date() } }],
      ["metadata that is an array", { metadata: [1, 2] }],
      ["importance NaN", { importance: Number.NaN }],
      ["importance above 1", { importance: 1.5 }],
      ["importance below 0", { importance: -0.1 }],
      ["an unknown field", { namespaceOverride: ["x"] }],
      ["a malformed kind", { kind: "Not A Kind!" }],
      ["a malformed tag", { tags: ["ok", "}|bad"] }],
      ["an invalid date", { expiresAt: "not a date" }],
      ["an expiry in the past", { expiresAt: Date.UTC(2000, 0, 1) }],
      ["a createdAt in the future", { createdAt: Date.UTC(2999, 0, 1) }],
      ["an invalid createdAt", { createdAt: "last tuesday" }],
    ])("rejects %s with INVALID_ARGUMENT and writes nothing", async (_, fields) => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["t"], content: "existing" });
      await rejectsWithNothingWritten(
        memory,
        { namespace: ["t"], content: "valid", ...fields },
        "INVALID_ARGUMENT",
      );
    });

    it.each([
      ["a traversal segment", ["t", ".."]],
      ["an empty segment", ["t", ""]],
      ["a separator", ["t", "a/b"]],
      ["a tag-query metacharacter", ["t", "a}|@ns:{b*"]],
      ["no segments", []],
      ["a string", "t"],
    ])(
      "rejects a namespace with %s as INVALID_NAMESPACE and writes nothing",
      async (_, namespace) => {
        const { memory } = await setUp(target);
        await memory.remember({ namespace: ["t"], content: "existing" });
        await rejectsWithNothingWritten(
          memory,
          { namespace, content: "valid" },
          "INVALID_NAMESPACE",
        );
      },
    );

    it("rejects content over the configured limit with CONTENT_TOO_LARGE", async () => {
      const { memory } = await setUp(target, { limits: { contentLength: 100 } });
      await memory.remember({ namespace: ["t"], content: "x".repeat(100) });
      const error = await expectCode(
        memory.remember({ namespace: ["t"], content: "y".repeat(101) }),
        "CONTENT_TOO_LARGE",
      );
      expect(error.details).toMatchObject({ length: 101, limit: 100 });
      expect(await everything(memory, ["t"])).toEqual(["x".repeat(100)]);
    });

    it("writes nothing when one input of a batch is bad", async () => {
      const { memory } = await setUp(target);
      const error = await expectCode(
        memory.remember([
          { namespace: ["t"], content: "fine" },
          { namespace: ["t"], content: "also fine" },
          { namespace: ["t"], content: "bad", importance: 2 },
        ]),
        "INVALID_ARGUMENT",
      );
      expect(error.message).toMatch(/\[2\]/);
      expect(await everything(memory, ["t"])).toEqual([]);
    });

    it("rejects an embedder that returns the wrong number of dimensions, writing nothing", async () => {
      const honest = createTestEmbedder({ dimensions: 32 });
      const liar: Embedder = {
        model: "liar",
        dimensions: 32,
        embed: async (texts) => (await honest.embed(texts)).map((v) => Array.from(v).slice(0, 31)),
      };
      const { memory } = await setUp(target, { embedder: liar });
      await expectCode(
        memory.remember({ namespace: ["t"], content: "anything" }),
        "DIMENSION_MISMATCH",
      );
      expect(await everything(memory, ["t"])).toEqual([]);
    });

    it("turns a failing embedder into EMBEDDER_FAILED, writing nothing", async () => {
      const broken: Embedder = {
        model: "broken",
        embed: async () => {
          throw new Error("rate limited");
        },
      };
      const { memory } = await setUp(target, { embedder: broken });
      const error = await expectCode(
        memory.remember({ namespace: ["t"], content: "x" }),
        "EMBEDDER_FAILED",
      );
      expect(error.message).toMatch(/rate limited/);
      expect(await everything(memory, ["t"])).toEqual([]);
    });

    it("rejects bad recall and list options", async () => {
      const { memory } = await setUp(target);
      await expectCode(memory.recall({ namespace: ["t"], query: "" }), "INVALID_ARGUMENT");
      await expectCode(
        memory.recall({ namespace: ["t"], query: "x", limit: 0 }),
        "INVALID_ARGUMENT",
      );
      await expectCode(
        memory.recall({ namespace: ["t"], query: "x", minScore: 2 }),
        "INVALID_ARGUMENT",
      );
      await expectCode(memory.recall({ query: "x" }), "INVALID_ARGUMENT");
      await expectCode(memory.recall({ within: ["t", ".."], query: "x" }), "INVALID_NAMESPACE");
      await expectCode(memory.list({ namespace: ["t"], limit: 5000 }), "INVALID_ARGUMENT");
      await expectCode(
        memory.list({ namespace: ["t"], metadata: { 'a"b': 1 } }),
        "INVALID_ARGUMENT",
      );
    });

    it("rejects a bad update patch and leaves the memory as it was", async () => {
      const { memory } = await setUp(target);
      const { id, memory: before } = await memory.remember({ namespace: ["t"], content: "stable" });
      await expectCode(memory.update(id, { importance: Number.NaN }), "INVALID_ARGUMENT");
      await expectCode(memory.update(id, { namespace: ["x"] } as never), "INVALID_ARGUMENT");
      await expectCode(memory.update(id, { content: "" }), "INVALID_ARGUMENT");
      expect(await memory.get(id)).toEqual(before);
    });
  });
}
