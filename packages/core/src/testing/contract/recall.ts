import { describe, expect, it } from "vitest";
import type { RecallMode } from "../../memory/types.js";
import { type ContractTarget, expectCode, setUp } from "./harness.js";

const FACTS = [
  "The team uses PostgreSQL for the main database",
  "Standups are at nine every morning",
  "The office dog is called Biscuit",
  "Releases ship on Thursday afternoons",
  "Alice prefers dark mode in every editor",
  "The database backups run nightly",
];

export function recallCases(target: ContractTarget): void {
  describe("recall", () => {
    for (const mode of ["semantic", "keyword", "hybrid"] as RecallMode[]) {
      it(`returns ${mode} results sorted, with scores in [0, 1]`, async () => {
        const { memory } = await setUp(target);
        await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
        const hits = await memory.recall({
          namespace: ["t"],
          query: "which database does the team use",
          mode,
          limit: 6,
        });
        expect(hits.length).toBeGreaterThan(0);
        expect(hits[0]!.content).toBe(FACTS[0]);
        for (const [i, hit] of hits.entries()) {
          expect(hit.score).toBeGreaterThanOrEqual(0);
          expect(hit.score).toBeLessThanOrEqual(1);
          if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1]!.score);
        }
      });
    }

    it("defaults to hybrid, which agrees with both rankings on a clear winner", async () => {
      const { memory } = await setUp(target);
      await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
      const [hit] = await memory.recall({ namespace: ["t"], query: "office dog name" });
      expect(hit?.content).toBe("The office dog is called Biscuit");
      const [byKeyword] = await memory.recall({
        namespace: ["t"],
        query: "office dog name",
        mode: "keyword",
      });
      expect(byKeyword?.id).toBe(hit?.id);
      const bySemantic = await memory.recall({
        namespace: ["t"],
        query: "office dog name",
        mode: "semantic",
        limit: 6,
      });
      const semanticScore = bySemantic.find((h) => h.id === hit?.id)?.score ?? 0;
      expect(hit!.score).toBeGreaterThan(semanticScore);
    });

    it("explains scores only when asked, with components in [0, 1]", async () => {
      const { memory } = await setUp(target);
      await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
      const query = "which database does the team use";
      const plain = await memory.recall({ namespace: ["t"], query });
      expect(plain.every((hit) => !("explain" in hit))).toBe(true);

      const inRange = (value: number | undefined) =>
        value !== undefined && value >= 0 && value <= 1;
      const semantic = await memory.recall({
        namespace: ["t"],
        query,
        mode: "semantic",
        explain: true,
      });
      for (const hit of semantic) expect(hit.explain!.semantic).toBe(hit.explain!.relevance);
      const keyword = await memory.recall({
        namespace: ["t"],
        query,
        mode: "keyword",
        explain: true,
      });
      for (const hit of keyword) expect(hit.explain!.keyword).toBe(hit.explain!.relevance);

      const hybrid = await memory.recall({ namespace: ["t"], query, explain: true });
      expect(hybrid[0]!.explain!.keyword).toBe(1);
      for (const hit of hybrid) {
        const {
          semantic: s,
          keyword: k,
          relevance,
          recency,
          importance,
          pinned,
          access,
          neighbour = 0,
        } = hit.explain!;
        for (const part of [s, k, relevance, recency, importance, pinned, access, neighbour])
          expect(inRange(part)).toBe(true);
        // The fused relevance lies between its parts (plus a neighbour's lift); signals move the
        // score by at most 10%.
        expect(relevance!).toBeGreaterThanOrEqual(Math.min(s!, k!) - 1e-9);
        expect(relevance!).toBeLessThanOrEqual(Math.max(s!, k!) + neighbour + 1e-9);
        expect(hit.score).toBeLessThanOrEqual(relevance! + 1e-9);
        expect(hit.score).toBeGreaterThanOrEqual(relevance! * 0.9 - 1e-9);
      }
    });

    it("ranks equally relevant memories by pinning, importance and recency", async () => {
      const { memory, clock } = await setUp(target, { dedup: false });
      const old = await memory.remember({ namespace: ["t"], content: "note about the roadmap" });
      clock.advance(90 * 86_400_000);
      const fresh = await memory.remember({ namespace: ["t"], content: "note about the roadmap" });
      const ids = async (options: object) =>
        (await memory.recall({ namespace: ["t"], query: "roadmap note", ...options })).map(
          (h) => h.id,
        );
      expect(await ids({})).toEqual([fresh.id, old.id]);
      await memory.update(old.id, { pinned: true, importance: 1 });
      clock.advance(1);
      expect(await ids({})).toEqual([old.id, fresh.id]);
      const [withoutRecency] = await memory.recall({
        namespace: ["t"],
        query: "roadmap note",
        recency: false,
        explain: true,
      });
      expect(withoutRecency!.explain!.recency).toBeUndefined();
    });

    it("pages with offset, and counts only the page as used", async () => {
      const { memory } = await setUp(target);
      await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
      const query = { namespace: ["t"], query: "database backups", mode: "semantic" } as const;
      const all = await memory.recall({ ...query, limit: 6, recency: false });
      const page = await memory.recall({ ...query, limit: 2, offset: 2, recency: false });
      expect(page.map((hit) => hit.id)).toEqual(all.slice(2, 4).map((hit) => hit.id));
      // The first recall used all six, the page only its two.
      const counts = new Map(
        (await memory.list({ namespace: ["t"], limit: 100 })).memories.map((m) => [
          m.id,
          m.accessCount,
        ]),
      );
      expect(all.map((hit) => counts.get(hit.id))).toEqual([1, 1, 2, 2, 1, 1]);
      await expectCode(memory.recall({ ...query, offset: -1 }), "INVALID_ARGUMENT");
    });

    it("lifts a strong match's neighbours in hybrid mode, unless told not to", async () => {
      const { memory, clock } = await setUp(target);
      const ns = ["t"];
      const [, answer] = await memory.remember([
        { namespace: ns, content: "What are the summer holiday plans for the team?" },
        { namespace: ns, content: "We rented a cabin by the river" },
      ]);
      // Written two hours later: a neighbour in order, but not in time.
      clock.advance(2 * 3_600_000);
      const [garden] = await memory.remember([
        { namespace: ns, content: "Plans for the garden" },
        { namespace: ns, content: "The cabin booking is paid" },
      ]);
      const query = "summer holiday plans";
      const ranks = async (neighbours: boolean) => {
        const hits = await memory.recall({ namespace: ns, query, neighbours, explain: true });
        return { ids: hits.map((hit) => hit.id), hits };
      };
      const on = await ranks(true);
      expect(on.ids.indexOf(answer!.id)).toBeLessThan(on.ids.indexOf(garden!.id));
      expect(on.hits.find((hit) => hit.id === answer!.id)!.explain!.neighbour).toBeGreaterThan(0);
      const off = await ranks(false);
      expect(off.ids.indexOf(answer!.id)).toBeGreaterThan(off.ids.indexOf(garden!.id));
      expect(off.hits.every((hit) => hit.explain!.neighbour === undefined)).toBe(true);
      // "Plans for the garden" is not the neighbour of the first pair, which is two hours older.
      expect(on.hits.find((hit) => hit.id === garden!.id)!.explain!.neighbour).toBeUndefined();
    });

    it("weighs memories by the time a query asks about, unless told not to", async () => {
      const { memory } = await setUp(target);
      const ns = ["t"];
      const [told, plain, june] = await memory.remember([
        { namespace: ns, content: "Caroline went to the support group yesterday" },
        { namespace: ns, content: "Caroline found the support group powerful" },
        {
          namespace: ns,
          content: "Caroline found the support group welcoming",
          createdAt: Date.UTC(2023, 5, 12),
        },
      ]);
      const fits = async (query: string, time: boolean) => {
        const hits = await memory.recall({
          namespace: ns,
          query,
          time,
          explain: true,
          recordAccess: false,
        });
        return new Map(hits.map((hit) => [hit.id, hit]));
      };
      // A when-question: the memory that places the visit in time fits; the others keep 85%.
      const when = await fits("When did Caroline go to the support group?", true);
      expect(when.get(told!.id)!.explain!.time).toBe(1);
      expect(when.get(plain!.id)!.explain!.time).toBe(0);
      const off = await fits("When did Caroline go to the support group?", false);
      expect(off.get(plain!.id)!.explain!.time).toBeUndefined();
      expect(when.get(plain!.id)!.score).toBeCloseTo(off.get(plain!.id)!.score * 0.85, 6);
      expect(when.get(told!.id)!.score).toBeCloseTo(off.get(told!.id)!.score, 6);
      // A named period: the memory created then fits.
      const inJune = await fits("support group in June 2023", true);
      expect(inJune.get(june!.id)!.explain!.time).toBe(1);
      expect(inJune.get(told!.id)!.explain!.time).toBe(0);
    });

    it("honours limit and minScore", async () => {
      const { memory } = await setUp(target);
      await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
      expect(await memory.recall({ namespace: ["t"], query: "database", limit: 2 })).toHaveLength(
        2,
      );
      const all = await memory.recall({
        namespace: ["t"],
        query: "database backups",
        mode: "semantic",
        limit: 6,
      });
      const cut = (all[0]!.score + all.at(-1)!.score) / 2;
      const strict = await memory.recall({
        namespace: ["t"],
        query: "database backups",
        mode: "semantic",
        minScore: cut,
      });
      expect(strict.length).toBeGreaterThan(0);
      expect(strict.length).toBeLessThan(all.length);
      for (const hit of strict) expect(hit.score).toBeGreaterThanOrEqual(cut);
    });

    it("finds keyword matches by word and ignores query syntax and stop words", async () => {
      const { memory } = await setUp(target);
      await memory.remember(FACTS.map((content) => ({ namespace: ["t"], content })));
      const hits = await memory.recall({
        namespace: ["t"],
        query: 'Biscuit" OR * NEAR(',
        mode: "keyword",
      });
      expect(hits.map((h) => h.content)).toEqual(["The office dog is called Biscuit"]);
      expect(
        await memory.recall({ namespace: ["t"], query: "what is it", mode: "keyword" }),
      ).toEqual([]);
    });

    it("matches keywords by stem, so any word form finds a memory", async () => {
      const { memory } = await setUp(target);
      await memory.remember(
        ["Caroline is researching adoption agencies", "Melanie painted a sunrise"].map(
          (content) => ({ namespace: ["t"], content }),
        ),
      );
      const adopt = await memory.recall({ namespace: ["t"], query: "adopting", mode: "keyword" });
      expect(adopt.map((h) => h.content)).toEqual(["Caroline is researching adoption agencies"]);
      const paint = await memory.recall({ namespace: ["t"], query: "paintings", mode: "keyword" });
      expect(paint.map((h) => h.content)).toEqual(["Melanie painted a sunrise"]);
    });

    it("judges keyword rarity within the scope searched, not the whole store", async () => {
      const { memory } = await setUp(target);
      // Within ["a"] both terms are equally rare, so the memory saying "quasar" twice wins; the
      // many "quasar" memories elsewhere must not make it common here.
      await memory.remember([
        { namespace: ["a"], content: "quasar quasar notes" },
        { namespace: ["a"], content: "zebra notes here" },
        { namespace: ["a"], content: "a list of chores" },
        { namespace: ["a"], content: "the weekly plan" },
        ...Array.from({ length: 30 }, (_, i) => ({
          namespace: ["b"],
          content: `quasar sighting number ${i}`,
        })),
      ]);
      const hits = await memory.recall({
        namespace: ["a"],
        query: "quasar zebra",
        mode: "keyword",
      });
      expect(hits.map((h) => h.content)).toEqual(["quasar quasar notes", "zebra notes here"]);
    });

    it("scores by meaning the keyword matches that the vector ranking's pool did not hold", async () => {
      const { memory, embedder } = await setUp(target);
      const along = (weight: number, other: number) =>
        Array.from({ length: embedder.dimensions }, (_, j) =>
          j === 0 ? weight : j === other ? Math.sqrt(1 - weight * weight) : 0,
        );
      // More memories nearer the query's vector than a hybrid pool holds (100 for a page of
      // 10), and one farther in meaning that alone has the query's word.
      await memory.remember(
        Array.from({ length: 120 }, (_, i) => ({
          namespace: ["t"],
          content: `A note on the harbour, number ${i}`,
          vector: along(0.6, 1),
        })),
      );
      await memory.remember({
        namespace: ["t"],
        content: "The zebra crossing",
        vector: along(0.4, 2),
      });
      const hits = await memory.recall({
        namespace: ["t"],
        query: "zebra",
        vector: along(1, 1),
        mode: "hybrid",
        ranking: false,
        explain: true,
        recordAccess: false,
      });
      // 0.25 x keyword 1 + 0.75 x meaning 0.4 beats 0.75 x 0.6; counted as unrelated in meaning
      // (0.25), it would rank below every note.
      expect(hits[0]?.content).toBe("The zebra crossing");
      expect(hits[0]?.explain?.semantic).toBeCloseTo(0.4, 4);
      expect(hits[0]?.explain?.keyword).toBe(1);
      expect(hits[1]?.explain?.semantic).toBeCloseTo(0.6, 4);
    });

    it("returns nothing from an empty store or an empty scope", async () => {
      const { memory } = await setUp(target);
      expect(await memory.recall({ namespace: ["t"], query: "anything" })).toEqual([]);
      await memory.remember({ namespace: ["t"], content: "something" });
      expect(await memory.recall({ namespace: ["elsewhere"], query: "something" })).toEqual([]);
    });
  });
}
