import { describe, expect, it } from "vitest";
import { type ContractTarget, START, setUp } from "./harness.js";

export function filterCases(target: ContractTarget): void {
  describe("filters", () => {
    it("filters by kind", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t"], content: "likes green tea", kind: "preference" },
        { namespace: ["t"], content: "drank green tea today", kind: "episode" },
        { namespace: ["t"], content: "green tea has caffeine", kind: "fact" },
      ]);
      const hits = await memory.recall({
        namespace: ["t"],
        query: "green tea",
        kinds: ["preference", "fact"],
      });
      expect(hits.map((h) => h.kind).sort()).toEqual(["fact", "preference"]);
      const page = await memory.list({ namespace: ["t"], kinds: ["episode"] });
      expect(page.memories.map((m) => m.content)).toEqual(["drank green tea today"]);
    });

    it("requires every listed tag", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t"], content: "a", tags: ["x", "y"] },
        { namespace: ["t"], content: "b", tags: ["x"] },
        { namespace: ["t"], content: "c", tags: ["y", "z"] },
      ]);
      expect(
        (await memory.list({ namespace: ["t"], tags: ["x", "y"] })).memories.map((m) => m.content),
      ).toEqual(["a"]);
      const hits = await memory.recall({ namespace: ["t"], query: "a b c", tags: ["y"] });
      expect(hits.map((h) => h.content).sort()).toEqual(["a", "c"]);
    });

    it("matches metadata by value and by type", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t"], content: "one", metadata: { v: 1, source: "chat" } },
        { namespace: ["t"], content: "true", metadata: { v: true, source: "email" } },
        { namespace: ["t"], content: "string", metadata: { v: "1", source: "chat" } },
        { namespace: ["t"], content: "null", metadata: { v: null } },
        { namespace: ["t"], content: "nested", metadata: { source: { v: 1 } } },
      ]);
      const contents = async (metadata: Record<string, string | number | boolean | null>) =>
        (await memory.list({ namespace: ["t"], metadata })).memories.map((m) => m.content).sort();
      expect(await contents({ v: 1 })).toEqual(["one"]);
      expect(await contents({ v: true })).toEqual(["true"]);
      expect(await contents({ v: "1" })).toEqual(["string"]);
      expect(await contents({ v: null })).toEqual(["null"]);
      expect(await contents({ source: "chat", v: 1 })).toEqual(["one"]);
      expect(await contents({ source: "chat" })).toEqual(["one", "string"]);
      const hits = await memory.recall({
        namespace: ["t"],
        query: "one",
        metadata: { source: "email" },
      });
      expect(hits.map((h) => h.content)).toEqual(["true"]);
    });

    it("filters by creation and update time", async () => {
      const { memory, clock } = await setUp(target);
      const { id: early } = await memory.remember({ namespace: ["t"], content: "early" });
      clock.advance(1000);
      await memory.remember({ namespace: ["t"], content: "late" });
      clock.advance(1000);
      await memory.update(early, { importance: 0.7 });
      const created = async (options: object) =>
        (await memory.list({ namespace: ["t"], ...options })).memories.map((m) => m.content);
      expect(await created({ createdAfter: START })).toEqual(["late"]);
      expect(await created({ createdBefore: new Date(START + 1000) })).toEqual(["early"]);
      expect(await created({ updatedAfter: new Date(START + 1500).toISOString() })).toEqual([
        "early",
      ]);
      expect(await created({ updatedBefore: START + 1500 })).toEqual(["late"]);
      const hits = await memory.recall({
        namespace: ["t"],
        query: "early late",
        createdAfter: START,
      });
      expect(hits.map((h) => h.content)).toEqual(["late"]);
    });

    it("keeps a given createdAt (imported history) and filters and orders by it", async () => {
      const { memory } = await setUp(target);
      const may = Date.UTC(2023, 4, 8, 13, 56);
      const { memory: stored } = await memory.remember({
        namespace: ["t"],
        content: "went to the support group yesterday",
        createdAt: new Date(may).toISOString(),
      });
      await memory.remember({ namespace: ["t"], content: "the support group meets today" });
      expect(stored.createdAt.getTime()).toBe(may);
      expect(stored.updatedAt.getTime()).toBe(START);
      expect((await memory.get(stored.id))?.createdAt.getTime()).toBe(may);
      const before = await memory.recall({
        namespace: ["t"],
        query: "support group",
        createdBefore: may + 1,
      });
      expect(before.map((h) => h.id)).toEqual([stored.id]);
    });

    it("filters by pinned", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t"], content: "keep me", pinned: true },
        { namespace: ["t"], content: "maybe me" },
      ]);
      expect(
        (await memory.list({ namespace: ["t"], pinned: true })).memories.map((m) => m.content),
      ).toEqual(["keep me"]);
      expect(
        (await memory.recall({ namespace: ["t"], query: "me", pinned: false })).map(
          (m) => m.content,
        ),
      ).toEqual(["maybe me"]);
    });

    it("returns the true filtered top k from a namespace large enough to be indexed", async () => {
      const { memory } = await setUp(target, { dedup: false });
      // Past 2,048 vectors a namespace is searched through an approximate index; a kind filter
      // that keeps one memory in ten must still fill the top k with the best facts. The same
      // facts alone in a small namespace (scanned exactly) give the expected answer.
      let seed = 12345;
      const word = () => {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        return `w${seed % 400}`;
      };
      const texts = Array.from({ length: 2303 }, () => Array.from({ length: 8 }, word).join(" "));
      const text = (i: number) => texts[i]!;
      const facts: string[] = [];
      for (let start = 0; start < 2300; start += 100) {
        const batch = Array.from({ length: 100 }, (_, j) => {
          const i = start + j;
          const content = `note ${i} ${text(i)}`;
          if (i % 10 === 0) facts.push(content);
          return { namespace: ["t"], content, kind: i % 10 === 0 ? "fact" : "episode" };
        });
        await memory.remember(batch);
      }
      await memory.remember(
        facts.map((content) => ({ namespace: ["exact"], content, kind: "fact" })),
      );
      let matched = 0;
      for (const query of [text(2300), text(2301), text(2302), text(50)]) {
        const options = { query, mode: "semantic", limit: 10, minScore: 0, explain: true } as const;
        const [found, expected] = await Promise.all([
          memory.recall({ ...options, namespace: ["t"], kinds: ["fact"] }),
          memory.recall({ ...options, namespace: ["exact"] }),
        ]);
        expect(found).toHaveLength(10);
        expect(found.every((hit) => hit.kind === "fact")).toBe(true);
        // Compared by similarity, not content: equally similar memories may swap places.
        const truth = expected.map((hit) => hit.explain?.semantic?.toFixed(6));
        for (const hit of found) {
          const at = truth.indexOf(hit.explain?.semantic?.toFixed(6));
          if (at !== -1) {
            truth.splice(at, 1);
            matched += 1;
          }
        }
      }
      // Up to the index's recall (here at least 0.9).
      expect(matched).toBeGreaterThanOrEqual(36);
    });
  });
}
