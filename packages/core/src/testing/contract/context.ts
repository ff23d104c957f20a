import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../memory/context-block.js";
import { type ContractTarget, setUp } from "./harness.js";

const TEAM = [
  { content: "The team uses PostgreSQL for the main database", kind: "fact" },
  { content: "Alice prefers the database console in dark mode", kind: "preference" },
  { content: "Migrate the billing database to PostgreSQL 16 by June", kind: "task" },
  { content: "The office dog is called Biscuit", kind: "fact" },
  {
    content: `A very long note about databases: ${"replication and failover ".repeat(40)}`,
    kind: "episode",
  },
];

export function contextCases(target: ContractTarget): void {
  describe("context", () => {
    it("never exceeds the budget, at any budget, and a zero budget is empty", async () => {
      const { memory } = await setUp(target);
      await memory.remember(TEAM.map((m) => ({ namespace: ["t"], ...m })));
      for (const maxTokens of [0, 5, 12, 20, 40, 80, 160, 400, 4000]) {
        const block = await memory.context({ namespace: ["t"], query: "database", maxTokens });
        expect(block.tokens).toBe(estimateTokens(block.text));
        expect(block.tokens).toBeLessThanOrEqual(maxTokens);
        if (maxTokens === 0) expect(block).toEqual({ text: "", tokens: 0, memories: [] });
        for (const m of block.memories) expect(block.text).toContain(`[${m.id}]`);
      }
      const all = await memory.context({ namespace: ["t"], query: "database", maxTokens: 4000 });
      expect(all.memories).toHaveLength(TEAM.length);
    });

    it("puts the most relevant first and leaves out what does not fit for what does", async () => {
      const { memory } = await setUp(target);
      await memory.remember(TEAM.map((m) => ({ namespace: ["t"], ...m })));
      const block = await memory.context({
        namespace: ["t"],
        query: "which database does the team use",
        maxTokens: 60,
      });
      expect(block.memories[0]?.content).toBe(TEAM[0]!.content);
      expect(block.text.startsWith("## Facts\n- The team uses PostgreSQL")).toBe(true);
      expect(block.memories.some((m) => m.kind === "episode")).toBe(false);
      expect(block.memories.length).toBeGreaterThan(1);
    });

    it("uses the caller's token counter and kind filter", async () => {
      const { memory } = await setUp(target);
      await memory.remember(TEAM.map((m) => ({ namespace: ["t"], ...m })));
      const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
      const block = await memory.context({
        namespace: ["t"],
        query: "database",
        maxTokens: 30,
        kinds: ["fact", "task"],
        countTokens: words,
      });
      expect(block.tokens).toBe(words(block.text));
      expect(block.tokens).toBeLessThanOrEqual(30);
      expect(new Set(block.memories.map((m) => m.kind))).toEqual(new Set(["fact", "task"]));
    });
  });
}
