import { describe, expect, it } from "vitest";
import { type ContractTarget, setUp } from "./harness.js";

export function embeddingCases(target: ContractTarget): void {
  describe("embeddings", () => {
    it("never embeds the same text twice", async () => {
      const { memory, embedder, reopen } = await setUp(target);
      // One tenant whether a backend's tenant is one leading segment or two (Redis' option).
      await memory.remember([
        { namespace: ["t", "u", "a"], content: "same text" },
        { namespace: ["t", "u", "b"], content: "same text" },
        { namespace: ["t", "u", "c"], content: "other text" },
      ]);
      expect(embedder.calls).toBe(2);
      await memory.remember({ namespace: ["t", "u", "d"], content: "same text" });
      expect(embedder.calls).toBe(2);
      // A new process has an empty cache but finds the vector already stored.
      const reopened = await reopen();
      await reopened.remember({ namespace: ["t", "u", "e"], content: "other text" });
      expect(embedder.calls).toBe(2);
    });

    it("embeds a batch in one call", async () => {
      const { memory, embedder } = await setUp(target);
      let batches = 0;
      const original = embedder.embed.bind(embedder);
      embedder.embed = async (texts) => {
        batches += 1;
        return original(texts);
      };
      await memory.remember(
        Array.from({ length: 50 }, (_, i) => ({ namespace: ["t"], content: `fact ${i}` })),
      );
      expect(batches).toBe(1);
    });
  });
}
