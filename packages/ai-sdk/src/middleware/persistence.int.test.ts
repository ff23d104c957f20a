import type { Memory } from "@engram/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { majors, textResult, textStream, toolCallResult } from "../../test/majors.js";
import { backends, type TestMemory } from "../../test/memories.js";
import { memoryTools } from "../tools/memory-tools.js";
import { memoryMiddleware } from "./memory-middleware.js";

const alice = ["acme", "users", "alice"];

/** The memory, with `messages.append` replaced: to hold writes back or make them fail. */
function withAppend(memory: Memory, append: Memory["messages"]["append"]): Memory {
  const messages = Object.assign(Object.create(memory.messages), { append });
  return new Proxy(memory, {
    get: (target, property, receiver) =>
      property === "messages" ? messages : Reflect.get(target, property, receiver),
  });
}

describe.each(backends)("memoryMiddleware persistence on $name", (backend) => {
  let test: TestMemory;
  let memory: Memory;
  beforeEach(async () => {
    test = await backend.open();
    memory = test.memory;
    await memory.remember({ namespace: alice, content: "Alice prefers meetings before noon" });
  });
  afterEach(() => test.cleanup());

  const thread = async (threadId = "t1") =>
    (await memory.messages.list({ namespace: alice, threadId })).messages.map((message) => ({
      role: message.role,
      content: message.content,
    }));

  describe.each(majors)("with $name", (major) => {
    it("generateText: appends the user message and the reply, without the recalled block", async () => {
      const model = major.mockModel({ doGenerate: textResult("Let's meet at 10.") });
      const middleware = memoryMiddleware({ memory, namespace: alice, threadId: "t1" });
      await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        system: "Be brief.",
        prompt: "When should we meet?",
      });
      await middleware.flush();
      expect(await thread()).toEqual([
        { role: "user", content: "When should we meet?" },
        { role: "assistant", content: "Let's meet at 10." },
      ]);
      const [, reply] = (await memory.messages.list({ namespace: alice, threadId: "t1" })).messages;
      expect(reply?.metadata).toEqual({ model: "mock-provider:mock-model-id" });
    });

    it("streamText: appends once the stream has finished", async () => {
      const model = major.mockModel({ doStream: textStream(major, "Mornings are best.") });
      const middleware = memoryMiddleware({ memory, namespace: alice });
      const result = major.streamText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When should we meet?",
        providerOptions: { engram: { threadId: "t1" } },
      });
      expect(await result.text).toBe("Mornings are best.");
      await middleware.flush();
      expect(await thread()).toEqual([
        { role: "user", content: "When should we meet?" },
        { role: "assistant", content: "Mornings are best." },
      ]);
    });

    it("a stream that fails appends nothing", async () => {
      const model = major.mockModel({
        doStream: {
          stream: major.convertArrayToReadableStream([
            { type: "stream-start", warnings: [] },
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: "Let me che" },
            { type: "error", error: new Error("overloaded") },
            {
              type: "finish",
              finishReason: { unified: "error", raw: undefined },
              usage: {
                inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
                outputTokens: { total: 1, text: 1, reasoning: undefined },
              },
            },
          ]),
        },
      });
      const middleware = memoryMiddleware({ memory, namespace: alice, threadId: "t1" });
      const result = major.streamText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When should we meet?",
        onError: () => undefined,
      });
      await result.consumeStream();
      await middleware.flush();
      expect(await thread()).toEqual([]);
    });

    it("a tool loop lands in order: user, tool call, tool result, answer", async () => {
      const model = major.mockModel({
        doGenerate: [
          toolCallResult("c1", "remember", { content: "Alice is vegetarian", kind: "preference" }),
          textResult("Noted."),
        ],
      });
      const middleware = memoryMiddleware({ memory, namespace: alice, threadId: "t1" });
      await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        tools: memoryTools({ memory, namespace: alice }),
        stopWhen: major.stepCountIs(3),
        prompt: "I'm vegetarian, by the way.",
      });
      await middleware.flush();
      const messages = await thread();
      expect(messages.map((message) => message.role)).toEqual([
        "user",
        "assistant",
        "tool",
        "assistant",
      ]);
      expect(messages[1]?.content).toEqual([
        {
          type: "tool-call",
          toolCallId: "c1",
          toolName: "remember",
          input: { content: "Alice is vegetarian", kind: "preference" },
        },
      ]);
      expect(messages[2]?.content).toMatchObject([
        { type: "tool-result", toolCallId: "c1", toolName: "remember", output: { type: "json" } },
      ]);
      expect(messages[3]?.content).toBe("Noted.");
    });

    it("appends only what is new when the app sends the whole conversation", async () => {
      const model = major.mockModel({ doGenerate: [textResult("Hello!"), textResult("At 10.")] });
      const middleware = memoryMiddleware({ memory, namespace: alice, threadId: "t1" });
      const wrapped = major.wrapLanguageModel({ model, middleware });
      await major.generateText({ model: wrapped, messages: [{ role: "user", content: "Hi" }] });
      await major.generateText({
        model: wrapped,
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
          { role: "user", content: "When should we meet?" },
        ],
      });
      await middleware.flush();
      expect((await thread()).map((message) => message.content)).toEqual([
        "Hi",
        "Hello!",
        "When should we meet?",
        "At 10.",
      ]);
    });

    it("returns the result before the write completes", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const held = withAppend(memory, async (input) => {
        await gate;
        return memory.messages.append(input);
      });
      const model = major.mockModel({ doGenerate: textResult("Right away.") });
      const middleware = memoryMiddleware({ memory: held, namespace: alice, threadId: "t1" });
      const result = await major.generateText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "When should we meet?",
      });
      expect(result.text).toBe("Right away.");
      expect(await thread()).toEqual([]);
      release();
      await middleware.flush();
      expect(await thread()).toHaveLength(2);
    });

    it("a failed write never fails the call, and is reported", async () => {
      const reported: unknown[] = [];
      const failing = withAppend(memory, async () => {
        throw new Error("disk full");
      });
      const model = major.mockModel({ doStream: textStream(major, "Fine.") });
      const middleware = memoryMiddleware({
        memory: failing,
        namespace: alice,
        threadId: "t1",
        onError: (error, info) => reported.push([String(error), info]),
      });
      const result = major.streamText({
        model: major.wrapLanguageModel({ model, middleware }),
        prompt: "Hi",
      });
      expect(await result.text).toBe("Fine.");
      await middleware.flush();
      expect(reported).toEqual([
        ["Error: disk full", { phase: "persist", namespace: alice, threadId: "t1" }],
      ]);
    });

    it("ingests the turn when asked, and appends nothing when a request says so", async () => {
      const model = major.mockModel({ doGenerate: [textResult("Noted."), textResult("ok")] });
      const middleware = memoryMiddleware({
        memory,
        namespace: alice,
        threadId: "t1",
        ingest: true,
      });
      const wrapped = major.wrapLanguageModel({ model, middleware });
      await major.generateText({ model: wrapped, prompt: "My sister Maya visits in June." });
      await major.generateText({
        model: wrapped,
        prompt: "Nothing to keep here.",
        providerOptions: { engram: { persist: false } },
      });
      await middleware.flush();
      expect(await thread()).toHaveLength(2);
      const { memories } = await memory.list({ namespace: alice, kinds: ["episode"] });
      expect(memories.map((item) => item.content)).toEqual(["My sister Maya visits in June."]);
    });
  });
});
