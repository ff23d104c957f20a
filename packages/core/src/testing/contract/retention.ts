import { describe, expect, it } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { type ContractTarget, everything, expectCode, setUp } from "./harness.js";

const DAY = 86_400_000;

export function retentionCases(target: ContractTarget): void {
  describe("capacity", () => {
    it("evicts the lowest retention score when a namespace is full, never a pinned memory", async () => {
      const { memory, clock } = await setUp(target, { retention: { capacity: 3 } });
      const [important, minor] = await memory.remember([
        { namespace: ["t"], content: "the launch is in March", importance: 0.9 },
        { namespace: ["t"], content: "lunch was pasta", importance: 0.1 },
        {
          namespace: ["t"],
          content: "the wifi password is on the fridge",
          importance: 0,
          pinned: true,
        },
      ]);
      clock.advance(DAY);
      const added = await memory.remember({ namespace: ["t"], content: "Bob joined the team" });
      expect(added.status).toBe("created");
      expect(await everything(memory, ["t"])).toEqual([
        "Bob joined the team",
        "the launch is in March",
        "the wifi password is on the fridge",
      ]);
      expect(await memory.get(minor!.id)).toBeUndefined();
      expect(await memory.get(important!.id)).toBeDefined();
      const entries = await memory.history(minor!.id);
      expect(entries.at(-1)).toMatchObject({
        action: "deleted",
        before: { content: "lunch was pasta" },
      });
    });

    it("evicts what decayed most: the oldest, then the least recalled", async () => {
      const { memory, clock } = await setUp(target, {
        retention: { capacity: 2, halfLifeMs: 10 * DAY },
      });
      await memory.remember({ namespace: ["t"], content: "alpha project kickoff notes" });
      clock.advance(20 * DAY);
      await memory.remember({ namespace: ["t"], content: "beta release checklist" });
      clock.advance(DAY);
      await memory.remember({ namespace: ["t"], content: "gamma incident review" });
      expect(await everything(memory, ["t"])).toEqual([
        "beta release checklist",
        "gamma incident review",
      ]);

      // Recalling the older memory refreshes it, so the untouched one goes next.
      clock.advance(DAY);
      await memory.recall({
        namespace: ["t"],
        query: "beta release checklist",
        mode: "keyword",
        limit: 1,
      });
      clock.advance(DAY);
      await memory.remember({ namespace: ["t"], content: "delta hiring plan" });
      expect(await everything(memory, ["t"])).toEqual([
        "beta release checklist",
        "delta hiring plan",
      ]);
    });

    it("lets importance fade: a long-unused important memory goes before a fresh minor one", async () => {
      const { memory, clock } = await setUp(target, {
        retention: { capacity: 2, halfLifeMs: 10 * DAY },
      });
      await memory.remember({ namespace: ["t"], content: "old roadmap", importance: 0.9 });
      clock.advance(60 * DAY);
      await memory.remember({ namespace: ["t"], content: "new memo", importance: 0.3 });
      await memory.remember({ namespace: ["t"], content: "newer memo", importance: 0.3 });
      expect(await everything(memory, ["t"])).toEqual(["new memo", "newer memo"]);
    });

    it("counts each namespace on its own, and keeps pinned memories past capacity", async () => {
      const { memory } = await setUp(target, { retention: { capacity: 1 } });
      await memory.remember({ namespace: ["team"], content: "shared runbook", pinned: true });
      await memory.remember({ namespace: ["team", "alice"], content: "alice prefers tea" });
      await memory.remember({ namespace: ["team"], content: "standup at nine", pinned: true });
      expect(await everything(memory, ["team"])).toEqual([
        "alice prefers tea",
        "shared runbook",
        "standup at nine",
      ]);
    });

    it("never evicts the memories a remember call writes, and prune catches up after", async () => {
      const { memory } = await setUp(target, { retention: { capacity: 2 } });
      const results = await memory.remember([
        { namespace: ["t"], content: "one apple", importance: 0.2 },
        { namespace: ["t"], content: "two pears", importance: 0.9 },
        { namespace: ["t"], content: "three plums", importance: 0.8 },
      ]);
      expect(results.map((r) => r.status)).toEqual(["created", "created", "created"]);
      expect(await memory.prune({ namespace: ["t"] })).toEqual({ evicted: 1, namespaces: 1 });
      expect(await everything(memory, ["t"])).toEqual(["three plums", "two pears"]);
    });

    it("does not count updates of existing memories as growth", async () => {
      const { memory, clock } = await setUp(target, { retention: { capacity: 2 } });
      await memory.remember({ namespace: ["t"], key: "city", content: "lives in Paris" });
      await memory.remember({ namespace: ["t"], content: "likes jazz" });
      clock.advance(DAY);
      const moved = await memory.remember({
        namespace: ["t"],
        key: "city",
        content: "lives in Rome",
      });
      expect(moved.status).toBe("updated");
      expect(await everything(memory, ["t"])).toEqual(["likes jazz", "lives in Rome"]);
    });

    it("rejects a capacity that is not a positive integer", async () => {
      const { memory } = await setUp(target);
      for (const capacity of [0, -1, 1.5]) {
        expect(() => createMemory({ retention: { capacity } })).toThrow(
          expect.objectContaining({ code: "INVALID_ARGUMENT" }),
        );
        await expectCode(memory.prune({ namespace: ["t"], capacity }), "INVALID_ARGUMENT");
      }
    });
  });

  describe("prune", () => {
    it("applies a capacity to every namespace in scope, pinned memories excepted", async () => {
      const { memory, clock } = await setUp(target);
      for (const user of ["u1", "u2"]) {
        for (let i = 0; i < 4; i++) {
          await memory.remember({
            namespace: ["org", user],
            content: `${user} note number ${"abcd"[i]}`,
            pinned: i === 0,
          });
          clock.advance(DAY);
        }
      }
      await memory.remember({ namespace: ["elsewhere"], content: "out of scope one" });
      await memory.remember({ namespace: ["elsewhere"], content: "out of scope two" });
      expect(await memory.prune({ within: ["org"], capacity: 2 })).toEqual({
        evicted: 4,
        namespaces: 2,
      });
      // The pinned first note stays; of the rest, the newest survives.
      expect(await everything(memory, ["org"])).toEqual([
        "u1 note number a",
        "u1 note number d",
        "u2 note number a",
        "u2 note number d",
      ]);
      expect(await everything(memory, ["elsewhere"])).toHaveLength(2);
      expect(await memory.prune({ within: ["org"], capacity: 2 })).toEqual({
        evicted: 0,
        namespaces: 0,
      });
    });

    it("needs a capacity, given or configured, and a scope", async () => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["t"], content: "keep me" });
      await expectCode(memory.prune({ namespace: ["t"] }), "INVALID_ARGUMENT");
      await expectCode(memory.prune({ capacity: 1 } as never), "INVALID_ARGUMENT");
      await expectCode(
        memory.prune({ namespace: ["bad\u0000"], capacity: 1 }),
        "INVALID_NAMESPACE",
      );
      expect(await everything(memory, ["t"])).toEqual(["keep me"]);
    });
  });

  describe("consolidate", () => {
    it("replaces each group of related memories with one summary, keeping the sources in history", async () => {
      const { memory, clock } = await setUp(target);
      const sources = await memory.remember([
        { namespace: ["u"], content: "Alice likes green tea", tags: ["drinks"], importance: 0.4 },
        { namespace: ["u"], content: "Alice likes green tea a lot", metadata: { source: "chat" } },
        {
          namespace: ["u"],
          content: "Alice likes green tea in the morning",
          importance: 0.7,
          tags: ["morning"],
        },
        { namespace: ["u"], content: "The deploy pipeline runs on Fridays" },
        { namespace: ["u"], content: "Alice likes green tea, pinned", pinned: true },
        { namespace: ["u"], key: "tea", content: "Alice likes green tea with a key" },
        { namespace: ["u", "sub"], content: "Alice likes green tea in a subspace" },
      ]);
      clock.advance(DAY);
      const seen: string[][] = [];
      const done = await memory.consolidate(["u"], {
        threshold: 0.6,
        summarize: (group) => {
          seen.push(group.map((m) => m.content));
          return "Alice likes green tea, mostly in the morning";
        },
      });
      expect(seen).toEqual([
        [
          "Alice likes green tea",
          "Alice likes green tea a lot",
          "Alice likes green tea in the morning",
        ],
      ]);
      expect(done).toHaveLength(1);
      const [{ memory: summary, sources: replaced }] = done as [(typeof done)[0]];
      expect(replaced).toEqual(sources.slice(0, 3).map((r) => r.id));
      expect(summary).toMatchObject({
        namespace: ["u"],
        content: "Alice likes green tea, mostly in the morning",
        kind: "fact",
        importance: 0.7,
        metadata: { source: "chat" },
      });
      expect([...summary.tags].sort()).toEqual(["drinks", "morning"]);
      expect(await everything(memory, ["u"])).toEqual([
        "Alice likes green tea in a subspace",
        "Alice likes green tea with a key",
        "Alice likes green tea, mostly in the morning",
        "Alice likes green tea, pinned",
        "The deploy pipeline runs on Fridays",
      ]);
      const entries = await memory.history(summary.id);
      expect(entries.map((e) => e.action)).toEqual(["created", "merged", "merged", "merged"]);
      expect(entries.slice(1).map((e) => e.before?.content)).toEqual(seen[0]);
      expect((await memory.history(replaced[0]!)).map((e) => e.action)).toEqual([
        "created",
        "deleted",
      ]);
      const [top] = await memory.recall({
        namespace: ["u"],
        query: "green tea morning",
        mode: "keyword",
      });
      expect(top?.content).toBe("Alice likes green tea, mostly in the morning");
    });

    it("joins the contents when no summarize is given, and never mixes kinds", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["u"], content: "deploys happen on Friday afternoons", kind: "fact" },
        { namespace: ["u"], content: "deploys happen on Friday afternoons often", kind: "episode" },
        { namespace: ["u"], content: "deploys happen on Friday afternoons mostly", kind: "fact" },
      ]);
      const done = await memory.consolidate(["u"], { threshold: 0.6 });
      expect(done.map((c) => [c.memory.kind, c.memory.content])).toEqual([
        ["fact", "deploys happen on Friday afternoons\ndeploys happen on Friday afternoons mostly"],
      ]);
      expect(await memory.consolidate(["u"], { threshold: 0.6 })).toEqual([]);
    });

    it("changes nothing when summarize fails or returns no text", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["u"], content: "the office is in Berlin" },
        { namespace: ["u"], content: "the office is in Berlin Mitte" },
      ]);
      const before = await everything(memory, ["u"]);
      const failing = memory.consolidate(["u"], {
        threshold: 0.5,
        summarize: () => {
          throw new Error("model unavailable");
        },
      });
      await expect(failing).rejects.toThrow("model unavailable");
      await expectCode(
        memory.consolidate(["u"], { threshold: 0.5, summarize: () => "  " }),
        "INVALID_ARGUMENT",
      );
      await expectCode(memory.consolidate(["u"], { threshold: 2 }), "INVALID_ARGUMENT");
      await expectCode(memory.consolidate(["u"], { minGroupSize: 1 }), "INVALID_ARGUMENT");
      expect(await everything(memory, ["u"])).toEqual(before);
    });
  });
}
