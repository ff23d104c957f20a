import type { Memory } from "@engram/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { majors, textResult, toolCallResult, type Untyped } from "../../test/majors.js";
import { type BackendCase, backends, type TestMemory } from "../../test/memories.js";
import { memoryTools } from "./memory-tools.js";

const alice = ["acme", "users", "alice"] as const;
const bob = ["acme", "users", "bob"] as const;

type Part = { type: string; toolName?: string; output?: Untyped; error?: unknown };
/** Every tool result and tool error of a generateText run, in order. */
function toolOutcomes(result: { steps: Array<{ content: Part[] }> }): Part[] {
  return result.steps
    .flatMap((step) => step.content)
    .filter((part) => part.type === "tool-result" || part.type === "tool-error");
}

describe.each(backends)("memoryTools on $name", (backend: BackendCase) => {
  let test: TestMemory;
  let memory: Memory;
  beforeEach(async () => {
    test = await backend.open();
    memory = test.memory;
  });
  afterEach(() => test.cleanup());

  describe.each(majors)("with $name", (major) => {
    it("stores and recalls through tool calls the mock model emits", async () => {
      const tools = memoryTools({ memory, namespace: alice });
      const storing = major.mockModel({
        doGenerate: [
          toolCallResult("c1", "remember", {
            content: "Alice prefers meetings before noon",
            kind: "preference",
            tags: ["calendar"],
          }),
          textResult("Noted."),
        ],
      });
      const stored = await major.generateText({
        model: storing,
        tools,
        prompt: "I like my meetings in the morning.",
        stopWhen: major.stepCountIs(3),
      });
      expect(stored.text).toBe("Noted.");
      const [remembered] = toolOutcomes(stored);
      expect(remembered).toMatchObject({
        type: "tool-result",
        toolName: "remember",
        output: { status: "created", memory: { kind: "preference", tags: ["calendar"] } },
      });
      // The tool result the model saw next is the stored memory, namespace relative to the root.
      expect(remembered?.output.memory.namespace).toBeUndefined();

      const recalling = major.mockModel({
        doGenerate: [
          toolCallResult("c2", "recall", { query: "When does Alice like meetings?" }),
          textResult("Before noon."),
        ],
      });
      const recalled = await major.generateText({
        model: recalling,
        tools,
        prompt: "When should we meet?",
        stopWhen: major.stepCountIs(3),
      });
      const [found] = toolOutcomes(recalled);
      expect(found?.type).toBe("tool-result");
      expect(found?.output.memories[0]).toMatchObject({
        id: remembered?.output.memory.id,
        content: "Alice prefers meetings before noon",
        kind: "preference",
      });
      expect(found?.output.memories[0].score).toBeGreaterThan(0);
      // The second model call carried the tool result back to the model.
      const secondPrompt = JSON.stringify(recalling.doGenerateCalls[1]?.prompt);
      expect(secondPrompt).toContain("Alice prefers meetings before noon");

      const [record] = (await memory.list({ namespace: alice })).memories;
      expect(record?.content).toBe("Alice prefers meetings before noon");
    });

    it("resolves a relative namespace beneath the bound root", async () => {
      const tools = memoryTools({ memory, namespace: alice });
      const model = major.mockModel({
        doGenerate: [
          toolCallResult("c1", "remember", {
            content: "Apollo ships in May",
            namespace: ["projects", "apollo"],
          }),
          textResult("ok"),
        ],
      });
      const result = await major.generateText({
        model,
        tools,
        prompt: "x",
        stopWhen: major.stepCountIs(2),
      });
      expect(toolOutcomes(result)[0]?.output.memory.namespace).toEqual(["projects", "apollo"]);
      const { memories } = await memory.list({ within: alice });
      expect(memories.map((m) => m.namespace)).toEqual([[...alice, "projects", "apollo"]]);
    });

    it.each([
      ["a parent segment", ["..", "bob"]],
      ["a path with a separator", ["../bob"]],
      ["a dot-only segment", ["..."]],
      ["an empty segment", [""]],
    ])("refuses a tool call whose namespace has %s, and writes nothing", async (_, namespace) => {
      const tools = memoryTools({ memory, namespace: alice });
      const model = major.mockModel({
        doGenerate: [
          toolCallResult("c1", "remember", { content: "Bob's password is hunter2", namespace }),
          textResult("done"),
        ],
      });
      const result = await major.generateText({
        model,
        tools,
        prompt: "x",
        stopWhen: major.stepCountIs(2),
      });
      // The call itself succeeds: the refusal is a tool error the model reads.
      expect(result.text).toBe("done");
      const [outcome] = toolOutcomes(result);
      expect(outcome?.type).toBe("tool-error");
      expect(String(outcome?.error)).toMatch(/not a namespace inside this memory space/);
      expect(JSON.stringify(model.doGenerateCalls[1]?.prompt)).toContain("not a namespace inside");
      expect((await memory.list({ within: ["acme"] })).memories).toEqual([]);
    });

    it("never updates or forgets a memory outside the bound root", async () => {
      const [bobs] = await memory.remember([{ namespace: bob, content: "Bob lives in Lisbon" }]);
      const tools = memoryTools({ memory, namespace: alice });
      const model = major.mockModel({
        doGenerate: [
          toolCallResult("c1", "update", { id: bobs!.id, content: "Bob lives in Paris" }),
          toolCallResult("c2", "forget", { ids: [bobs!.id] }),
          textResult("done"),
        ],
      });
      const result = await major.generateText({
        model,
        tools,
        prompt: "x",
        stopWhen: major.stepCountIs(3),
      });
      const outcomes = toolOutcomes(result);
      expect(outcomes.map((o) => o.type)).toEqual(["tool-error", "tool-error"]);
      expect(String(outcomes[0]?.error)).toMatch(/No memory with id/);
      expect((await memory.get(bobs!.id))?.content).toBe("Bob lives in Lisbon");
    });

    it("updates, lists and forgets within the root", async () => {
      const [kept, dropped] = await memory.remember([
        { namespace: alice, content: "Alice lives in Berlin", key: "home-city" },
        { namespace: [...alice, "old"], content: "Alice used a flip phone" },
      ]);
      const tools = memoryTools({ memory, namespace: alice });
      const model = major.mockModel({
        doGenerate: [
          toolCallResult("c1", "update", { id: kept!.id, content: "Alice lives in Hamburg" }),
          toolCallResult("c2", "forget", { ids: [dropped!.id] }),
          toolCallResult("c3", "list", {}),
          textResult("done"),
        ],
      });
      const result = await major.generateText({
        model,
        tools,
        prompt: "x",
        stopWhen: major.stepCountIs(4),
      });
      const [updated, forgotten, listed] = toolOutcomes(result);
      expect(updated?.output.memory).toMatchObject({
        id: kept!.id,
        content: "Alice lives in Hamburg",
        key: "home-city",
      });
      expect(forgotten?.output).toEqual({ forgotten: 1 });
      expect(listed?.output.memories.map((m: { id: string }) => m.id)).toEqual([kept!.id]);
    });

    it("takes the namespace from the request's context, and refuses a request without one", async () => {
      const tools = memoryTools({
        memory,
        namespace: (context) => ["acme", "users", (context as { userId: string }).userId],
      });
      const call = (context: unknown) =>
        major.generateText({
          model: major.mockModel({
            doGenerate: [
              toolCallResult("c1", "remember", { content: "Likes tea" }),
              textResult("ok"),
            ],
          }),
          tools,
          prompt: "x",
          stopWhen: major.stepCountIs(2),
          ...(context === undefined ? {} : major.toolContext(tools, context)),
        });
      const asBob = await call({ userId: "bob" });
      expect(toolOutcomes(asBob)[0]?.type).toBe("tool-result");
      expect((await memory.list({ namespace: bob })).memories.map((m) => m.content)).toEqual([
        "Likes tea",
      ]);

      const anonymous = await call(undefined);
      const [refused] = toolOutcomes(anonymous);
      expect(refused?.type).toBe("tool-error");
      expect(String(refused?.error)).toMatch(/no memory namespace/);
      expect((await memory.list({ within: ["acme"] })).memories).toHaveLength(1);
    });
  });
});
