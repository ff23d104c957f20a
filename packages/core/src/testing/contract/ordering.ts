import { describe, expect, it } from "vitest";
import { type ContractTarget, expectCode, setUp } from "./harness.js";

export function orderingCases(target: ContractTarget): void {
  describe("ordering and pagination", () => {
    it("lists newest first", async () => {
      const { memory, clock } = await setUp(target);
      for (const content of ["first", "second", "third"]) {
        await memory.remember({ namespace: ["t"], content });
        clock.advance(10);
      }
      const page = await memory.list({ namespace: ["t"] });
      expect(page.memories.map((m) => m.content)).toEqual(["third", "second", "first"]);
      expect(page.nextCursor).toBeUndefined();
    });

    it("visits every memory exactly once across pages, even those made in the same millisecond", async () => {
      const { memory } = await setUp(target);
      const made = await memory.remember(
        Array.from({ length: 23 }, (_, i) => ({
          namespace: ["t", i % 2 ? "x" : "y"],
          content: `item ${i}`,
        })),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await memory.list({ within: ["t"], limit: 5, ...(cursor ? { cursor } : {}) });
        expect(page.memories.length).toBeLessThanOrEqual(5);
        seen.push(...page.memories.map((m) => m.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(5);
      expect(seen).toEqual(made.map((r) => r.id).reverse());
    });

    it("ends with no cursor when the last page is exactly full", async () => {
      const { memory } = await setUp(target);
      await memory.remember(
        Array.from({ length: 4 }, (_, i) => ({ namespace: ["t"], content: `n${i}` })),
      );
      const first = await memory.list({ namespace: ["t"], limit: 2 });
      const second = await memory.list({ namespace: ["t"], limit: 2, cursor: first.nextCursor! });
      expect(second.memories).toHaveLength(2);
      expect(second.nextCursor).toBeUndefined();
    });

    it("rejects a cursor it did not issue", async () => {
      const { memory } = await setUp(target);
      await expectCode(
        memory.list({ namespace: ["t"], cursor: "bm90LWEtY3Vyc29y" }),
        "INVALID_ARGUMENT",
      );
    });
  });
}
