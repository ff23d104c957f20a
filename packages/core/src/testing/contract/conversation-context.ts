import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../memory/context-block.js";
import type { Memory } from "../../memory/create-memory.js";
import { type ContractTarget, setUp } from "./harness.js";

const NS = ["t", "users", "alice"];
const at = { namespace: NS, threadId: "chat" };

async function furnish(memory: Memory) {
  await memory.remember([
    { namespace: NS, content: "Alice is vegetarian", kind: "preference" },
    { namespace: NS, content: "Alice's favourite restaurant is Green Leaf in Lyon", kind: "fact" },
    { namespace: NS, content: "The office dog is called Biscuit", kind: "fact" },
  ]);
  await memory.workingMemory.replace({
    namespace: NS,
    content: { name: "Alice", city: "Lyon", goals: ["plan a dinner for six"] },
  });
  await memory.messages.append({
    ...at,
    messages: Array.from({ length: 40 }, (_, i) => ({
      role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
      content: `turn ${i}: ${i % 2 === 0 ? "a question about dinner plans" : "an answer with several suggestions"}`,
    })),
  });
  await memory.messages.append({
    ...at,
    messages: [{ role: "user", content: "Where should we eat, given my diet?" }],
  });
}

export function conversationContextCases(target: ContractTarget): void {
  describe("context with a conversation", () => {
    it("composes working memory, summary, recent messages and memories in sections", async () => {
      const { memory } = await setUp(target);
      await furnish(memory);
      await memory.ingest({
        ...at,
        extract: async () => [],
        summarize: async ({ previous, messages }) =>
          `${previous ?? "Earlier"}: ${messages.length} turns about dinner plans.`,
        summaryTokens: 100,
        keepRecent: 6,
      });
      const block = await memory.context({ thread: at, workingMemory: true, maxTokens: 2000 });
      expect(block.tokens).toBe(estimateTokens(block.text));
      expect(block.workingMemory?.content).toEqual({
        name: "Alice",
        city: "Lyon",
        goals: ["plan a dinner for six"],
      });
      expect(block.summary).toMatch(/turns about dinner plans/);
      // The messages after the summary, oldest first, ending with the latest.
      expect(block.messages?.map((m) => m.content)).toHaveLength(6);
      expect(block.messages?.at(-1)?.content).toBe("Where should we eat, given my diet?");
      // No query given: the latest user message is the query.
      expect(block.memories[0]?.content).toMatch(/vegetarian|Green Leaf/);
      const sections = [
        "## Working memory",
        "## Preferences",
        "## Summary of the earlier conversation",
        "## Recent messages",
      ];
      const positions = sections.map((heading) => block.text.indexOf(heading));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(block.text).toContain("user: Where should we eat, given my diet?");
      expect(block.text).toContain('"city":"Lyon"');
    });

    it("never exceeds maxTokens, for any budget and any shares", async () => {
      const { memory } = await setUp(target);
      await furnish(memory);
      const shares = [
        undefined,
        { workingMemory: 0, conversation: 1, memories: 0 },
        { memories: 1 },
        { workingMemory: 0.9 },
      ];
      for (const share of shares) {
        let previous = -1;
        for (const maxTokens of [0, 1, 3, 7, 15, 30, 60, 120, 250, 500, 1000, 4000]) {
          const block = await memory.context({
            thread: at,
            workingMemory: true,
            maxTokens,
            ...(share ? { shares: share } : {}),
          });
          expect(block.tokens).toBe(block.text.length === 0 ? 0 : estimateTokens(block.text));
          expect(block.tokens).toBeLessThanOrEqual(maxTokens);
          expect(block.tokens).toBeGreaterThanOrEqual(
            previous === -1 ? 0 : Math.min(previous, block.tokens),
          );
          previous = block.tokens;
        }
      }
      const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
      for (const maxTokens of [5, 20, 80]) {
        const block = await memory.context({
          thread: at,
          workingMemory: true,
          maxTokens,
          countTokens: words,
        });
        expect(words(block.text)).toBeLessThanOrEqual(maxTokens);
      }
    });

    it("gives each part its share, and what a part does not need to the others", async () => {
      const { memory } = await setUp(target);
      await furnish(memory);
      const tight = await memory.context({
        thread: at,
        workingMemory: true,
        maxTokens: 200,
        shares: { workingMemory: 0.1, conversation: 0.8, memories: 0.1 },
      });
      const roomy = await memory.context({
        thread: at,
        workingMemory: true,
        maxTokens: 200,
        shares: { workingMemory: 0.1, conversation: 0.1, memories: 0.8 },
      });
      expect(tight.messages!.length).toBeGreaterThan(roomy.messages!.length);
      expect(roomy.memories.length).toBeGreaterThanOrEqual(tight.memories.length);
      // Parts with no share stay out, and their budget goes to the rest.
      const conversationOnly = await memory.context({
        thread: at,
        maxTokens: 200,
        shares: { workingMemory: 0, conversation: 1, memories: 0 },
      });
      expect(conversationOnly.memories).toEqual([]);
      expect(conversationOnly.tokens).toBeGreaterThan(150);
      expect(conversationOnly.workingMemory).toBeUndefined();
    });

    it("reads a thread's own working memory, and by threadId with a single namespace", async () => {
      const { memory } = await setUp(target);
      await furnish(memory);
      await memory.workingMemory.replace({ ...at, content: "- booking for Saturday" });
      const block = await memory.context({
        namespace: NS,
        threadId: "chat",
        workingMemory: "thread",
        query: "restaurant",
        maxTokens: 400,
      });
      expect(block.workingMemory?.content).toBe("- booking for Saturday");
      expect(block.text).toContain("- booking for Saturday");
      expect(block.memories.map((m) => m.content)).toContain(
        "Alice's favourite restaurant is Green Leaf in Lyon",
      );
      const plain = await memory.context({ namespace: NS, query: "restaurant", maxTokens: 400 });
      expect(plain.text.startsWith("## Facts")).toBe(true);
      expect(plain.messages).toBeUndefined();
    });
  });
}
