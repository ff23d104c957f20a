import { describe, expect, it } from "vitest";
import { type ContractTarget, everything, setUp } from "./harness.js";

export function dedupCases(target: ContractTarget): void {
  describe("dedup", () => {
    it("never stores an exact duplicate twice; merging combines metadata and tags", async () => {
      const { memory, clock } = await setUp(target);
      const first = await memory.remember({
        namespace: ["t"],
        content: "Alice prefers tea",
        tags: ["drinks"],
        metadata: { source: "chat", turn: 1 },
        importance: 0.4,
      });
      clock.advance(10);
      const second = await memory.remember({
        namespace: ["t"],
        content: "Alice prefers tea",
        tags: ["alice"],
        metadata: { turn: 7, channel: "slack" },
        importance: 0.8,
      });
      expect(second).toMatchObject({ status: "merged", id: first.id });
      expect(second.memory).toMatchObject({
        tags: ["drinks", "alice"],
        metadata: { source: "chat", turn: 7, channel: "slack" },
        importance: 0.8,
        createdAt: first.memory.createdAt,
      });
      const third = await memory.remember({ namespace: ["t"], content: "Alice prefers tea" });
      expect(third).toMatchObject({ status: "skipped", id: first.id });
      expect(await everything(memory, ["t"])).toEqual(["Alice prefers tea"]);
      // Another namespace is another memory.
      const elsewhere = await memory.remember({ namespace: ["u"], content: "Alice prefers tea" });
      expect(elsewhere.status).toBe("created");
    });

    it("catches near duplicates above the threshold and leaves the rest", async () => {
      const { memory } = await setUp(target, { dedup: { policy: "merge", threshold: 0.9 } });
      const a = await memory.remember({
        namespace: ["t"],
        content: "The deploy window is Tuesday morning",
      });
      const near = await memory.remember({
        namespace: ["t"],
        content: "the deploy window is tuesday morning!",
        tags: ["ops"],
      });
      expect(near).toMatchObject({ status: "merged", id: a.id });
      expect(near.memory.content).toBe("The deploy window is Tuesday morning");
      const other = await memory.remember({
        namespace: ["t"],
        content: "Lunch is at noon in the cafeteria",
      });
      expect(other.status).toBe("created");
    });

    it("follows the skip and update policies", async () => {
      const skipping = await setUp(target, { dedup: { policy: "skip" } });
      const kept = await skipping.memory.remember({
        namespace: ["t"],
        content: "same",
        tags: ["a"],
      });
      const skipped = await skipping.memory.remember({
        namespace: ["t"],
        content: "same",
        tags: ["b"],
      });
      expect(skipped).toMatchObject({ status: "skipped", id: kept.id, memory: { tags: ["a"] } });

      const updating = await setUp(target, { dedup: { policy: "update" } });
      const old = await updating.memory.remember({
        namespace: ["t"],
        content: "same",
        tags: ["a"],
        kind: "fact",
      });
      const replaced = await updating.memory.remember({
        namespace: ["t"],
        content: "same",
        tags: ["b"],
        kind: "preference",
      });
      expect(replaced).toMatchObject({
        status: "updated",
        id: old.id,
        memory: { tags: ["b"], kind: "preference" },
      });
      expect(await everything(updating.memory, ["t"])).toEqual(["same"]);
    });

    it("dedups within one batch too", async () => {
      const { memory } = await setUp(target);
      const results = await memory.remember([
        { namespace: ["t"], content: "repeat", tags: ["x"] },
        { namespace: ["t"], content: "repeat", tags: ["y"] },
        { namespace: ["t"], content: "unique" },
      ]);
      expect(results.map((r) => r.status)).toEqual(["created", "merged", "created"]);
      expect(results[1]!.id).toBe(results[0]!.id);
      const [stored] = (await memory.list({ namespace: ["t"], tags: ["x", "y"] })).memories;
      expect(stored?.content).toBe("repeat");
    });
  });
}
