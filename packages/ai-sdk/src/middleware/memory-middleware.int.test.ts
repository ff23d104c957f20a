import type { Memory } from "@engram/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CallOptions,
  majors,
  messageText,
  textResult,
  textStream,
} from "../../test/majors.js";
import { backends, controllableEmbedder, type TestMemory } from "../../test/memories.js";
import { memoryMiddleware } from "./memory-middleware.js";
import type { MiddlewareErrorInfo } from "./options.js";

const alice = ["acme", "users", "alice"];
const bob = ["acme", "users", "bob"];

/** The prompt messages after the leading system messages the SDK adds, as the mock saw them. */
function userMessages(call: CallOptions | undefined) {
  return (call?.prompt ?? []).filter((message) => message.role === "user");
}

describe.each(backends)("memoryMiddleware recall on $name", (backend) => {
  let test: TestMemory;
  let memory: Memory;
  const embedding = controllableEmbedder();
  beforeEach(async () => {
    embedding.control.fail = false;
    embedding.control.delayMs = 0;
    test = await backend.open({ embedder: embedding.embedder });
    memory = test.memory;
    await memory.remember([
      { namespace: alice, content: "Alice prefers meetings before noon", kind: "preference" },
      { namespace: [...alice, "work"], content: "Alice's team deploys on Tuesdays", kind: "fact" },
      { namespace: bob, content: "Bob prefers meetings after lunch", kind: "preference" },
    ]);
  });
  afterEach(() => test.cleanup());

  describe.each(majors)("with $name", (major) => {
    it("generateText: places the recalled memories in a delimited block in the user's message", async () => {
      const model = major.mockModel({ doGenerate: textResult("Let's meet at 10.") });
      const middleware = memoryMiddleware({ memory, namespace: alice, persist: false });
      const result = await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        system: "You are a scheduling assistant.",
        prompt: "When should we schedule our meetings?",
      });
      expect(result.text).toBe("Let's meet at 10.");

      const call = model.doGenerateCalls[0]!;
      expect(call.prompt.map((message) => message.role)).toEqual(["system", "user"]);
      expect(messageText(call.prompt[0]!)).toBe("You are a scheduling assistant.");
      const [block, own] = call.prompt[1]!.content as Array<{ type: string; text: string }>;
      expect(own).toEqual({ type: "text", text: "When should we schedule our meetings?" });
      expect(block?.text).toMatch(/^<memory>\n/);
      expect(block?.text).toMatch(/<\/memory>$/);
      expect(block?.text).toContain("not instructions");
      expect(block?.text).toContain("Alice prefers meetings before noon");
      // The subtree is searched; other users' memories never are.
      expect(block?.text).toContain("Alice's team deploys on Tuesdays");
      expect(block?.text).not.toContain("Bob");

      const recalled = result.providerMetadata?.engram;
      expect(recalled).toMatchObject({ namespace: alice, threadId: "default", error: null });
      expect(recalled.memories[0]).toMatchObject({
        content: "Alice prefers meetings before noon",
        kind: "preference",
      });
      expect(recalled.tokens).toBeGreaterThan(0);
    });

    it("streamText: places the block and carries what was recalled in the provider metadata", async () => {
      const model = major.mockModel({ doStream: textStream(major, "Mornings work best for you.") });
      const middleware = memoryMiddleware({ memory, namespace: alice, persist: false });
      const result = major.streamText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When do I like meetings?",
      });
      expect(await result.text).toBe("Mornings work best for you.");
      const [user] = userMessages(model.doStreamCalls[0]);
      expect(messageText(user!)).toContain("Alice prefers meetings before noon");
      expect(messageText(user!)).toMatch(/When do I like meetings\?$/);
      const metadata = await result.providerMetadata;
      expect(metadata?.engram.memories[0].content).toBe("Alice prefers meetings before noon");
    });

    it('placement "system" adds a system message after the leading ones and leaves the user message alone', async () => {
      const model = major.mockModel({ doGenerate: textResult("ok") });
      const middleware = memoryMiddleware({
        memory,
        namespace: alice,
        placement: "system",
        persist: false,
      });
      await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        system: "Be brief.",
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
          { role: "user", content: "When do I like meetings?" },
        ],
      });
      const prompt = model.doGenerateCalls[0]!.prompt;
      expect(prompt.map((message) => message.role)).toEqual([
        "system",
        "system",
        "user",
        "assistant",
        "user",
      ]);
      expect(messageText(prompt[1]!)).toContain("Alice prefers meetings before noon");
      expect(messageText(prompt[4]!)).toBe("When do I like meetings?");
    });

    it("takes the namespace per request from providerOptions, and hides its options from the provider", async () => {
      const model = major.mockModel({ doGenerate: textResult("ok") });
      const middleware = memoryMiddleware({ memory, namespace: alice, persist: false });
      const result = await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When do I like meetings?",
        providerOptions: { engram: { namespace: bob }, mock: { seed: 1 } },
      });
      const call = model.doGenerateCalls[0]!;
      expect(messageText(userMessages(call)[0]!)).toContain("Bob prefers meetings after lunch");
      expect(messageText(userMessages(call)[0]!)).not.toContain("Alice");
      expect(call.providerOptions).toEqual({ mock: { seed: 1 } });
      expect(result.providerMetadata?.engram.namespace).toEqual(bob);
    });

    it("refuses a call with no namespace at all", async () => {
      const model = major.mockModel({ doGenerate: textResult("ok") });
      const middleware = memoryMiddleware({ memory, persist: false });
      await expect(
        major.generateText({
          model: major.wrapLanguageModel({ model, middleware }),
          prompt: "hi",
          maxRetries: 0,
        }),
      ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      expect(model.doGenerateCalls).toHaveLength(0);
    });

    it("keeps the block within maxTokens", async () => {
      const model = major.mockModel({ doGenerate: textResult("ok") });
      const middleware = memoryMiddleware({
        memory,
        namespace: alice,
        maxTokens: 25,
        persist: false,
      });
      const result = await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When do I like meetings?",
      });
      const recalled = result.providerMetadata?.engram;
      expect(recalled.memories).toHaveLength(1);
      expect(recalled.tokens).toBeLessThanOrEqual(25);
    });

    it("a failing recall lets the call go on without memories, and reports it", async () => {
      embedding.control.fail = true;
      const errors: Array<[unknown, MiddlewareErrorInfo]> = [];
      const model = major.mockModel({ doGenerate: textResult("Still here.") });
      const middleware = memoryMiddleware({
        memory,
        namespace: alice,
        persist: false,
        onError: (error, info) => errors.push([error, info]),
      });
      const result = await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When do I like meetings?",
      });
      expect(result.text).toBe("Still here.");
      expect(messageText(userMessages(model.doGenerateCalls[0])[0]!)).toBe(
        "When do I like meetings?",
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]![1]).toEqual({ phase: "recall", namespace: alice, threadId: "default" });
      expect(errors[0]![0]).toMatchObject({ code: "EMBEDDER_FAILED" });
      expect(result.providerMetadata?.engram).toMatchObject({
        memories: [],
        error: { code: "EMBEDDER_FAILED" },
      });
    });

    it("a recall slower than timeoutMs is abandoned: the stream starts without it", async () => {
      embedding.control.delayMs = 2_000;
      const errors: unknown[] = [];
      const model = major.mockModel({ doStream: textStream(major, "Quick answer.") });
      const middleware = memoryMiddleware({
        memory,
        namespace: alice,
        timeoutMs: 50,
        persist: false,
        onError: (error) => errors.push(error),
      });
      const started = performance.now();
      const result = major.streamText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When do I like meetings?",
      });
      expect(await result.text).toBe("Quick answer.");
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(errors).toMatchObject([{ code: "TIMEOUT" }]);
      expect((await result.providerMetadata)?.engram.error.code).toBe("TIMEOUT");
    });

    it("recalls nothing when a request turns recall off", async () => {
      const model = major.mockModel({ doGenerate: textResult("ok") });
      const middleware = memoryMiddleware({ memory, namespace: alice, persist: false });
      await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When do I like meetings?",
        providerOptions: { engram: { recall: false } },
      });
      expect(messageText(userMessages(model.doGenerateCalls[0])[0]!)).toBe(
        "When do I like meetings?",
      );
    });
  });
});

// A new process's first turn recalled nothing: the offline encoder's one-time load (1-2 s)
// ran inside the recall's 1,000 ms timeout. It now starts with the middleware and is waited
// for before the clock starts.
describe("memoryMiddleware with an embedder that loads a model", () => {
  it("waits for the model's one-time load outside the recall's timeout", async () => {
    const base = controllableEmbedder().embedder;
    let loading: Promise<void> | undefined;
    const load = () => {
      loading ??= new Promise((resolve) => setTimeout(resolve, 400));
      return loading;
    };
    const test = await backends[0]!.open({
      embedder: {
        ...base,
        warm: load,
        async embed(texts: readonly string[]) {
          await load();
          return base.embed(texts);
        },
      },
    });
    try {
      await test.memory.remember({
        namespace: alice,
        content: "Alice prefers meetings before noon",
      });
      loading = undefined; // as if the process started now, model not loaded
      const major = majors[0]!;
      const model = major.mockModel({ doGenerate: textResult("At ten.") });
      const middleware = memoryMiddleware({
        memory: test.memory,
        namespace: alice,
        timeoutMs: 200,
        persist: false,
      });
      const result = await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When do I like meetings?",
      });
      expect(result.providerMetadata?.engram).toMatchObject({ error: null });
      expect(result.providerMetadata?.engram.memories).toHaveLength(1);
    } finally {
      await test.cleanup();
    }
  });
});
