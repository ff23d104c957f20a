import { describe, expect, it } from "vitest";
import { type ContractTarget, everything, setUp } from "./harness.js";

// Long sentences that differ by one word: cosine about 0.98 under the test embedder, above the
// default 0.95 threshold, so the band index has to find them.
const FACT =
  "the quarterly planning offsite for the platform group moves from the lakeside lodge " +
  "to the downtown conference centre because the lodge kitchen closes for renovation";
const NEAR_FACT = `${FACT} soon`;
const OTHER =
  "marketing wants every release announcement reviewed by legal and translated into " +
  "german french spanish and japanese before the newsletter goes out on thursdays";
const NEAR_OTHER = `${OTHER} again`;

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

    it("finds a near duplicate stored by an earlier call at the default threshold", async () => {
      const { memory } = await setUp(target);
      const first = await memory.remember([
        { namespace: ["t"], content: FACT, tags: ["a"] },
        { namespace: ["t"], content: OTHER },
      ]);
      const near = await memory.remember({ namespace: ["t"], content: NEAR_FACT, tags: ["b"] });
      expect(near).toMatchObject({ status: "merged", id: first[0]!.id });
      expect(near.memory).toMatchObject({ content: FACT, tags: ["a", "b"] });
      // The index is per namespace: the same text elsewhere is another memory.
      const elsewhere = await memory.remember({ namespace: ["u"], content: NEAR_FACT });
      expect(elsewhere.status).toBe("created");
    });

    it("catches near duplicates among one batch's own inputs", async () => {
      const { memory } = await setUp(target);
      const results = await memory.remember([
        { namespace: ["t"], content: FACT, tags: ["x"] },
        { namespace: ["t"], content: OTHER },
        { namespace: ["t"], content: NEAR_FACT, tags: ["y"] },
        { namespace: ["u"], content: NEAR_OTHER },
        { namespace: ["t"], content: NEAR_OTHER, tags: ["z"] },
      ]);
      expect(results.map((r) => r.status)).toEqual([
        "created",
        "created",
        "merged",
        "created",
        "merged",
      ]);
      expect(results[2]!.id).toBe(results[0]!.id);
      expect(results[4]!.id).toBe(results[1]!.id);
      expect(await everything(memory, ["t"])).toEqual([FACT, OTHER].sort());
    });

    it("leaves no stale candidates after forget, update, expiry and forgetNamespace", async () => {
      const { memory, clock } = await setUp(target);
      const forgotten = await memory.remember({ namespace: ["t"], content: FACT });
      await memory.forget(forgotten.id);
      const afterForget = await memory.remember({ namespace: ["t"], content: NEAR_FACT });
      expect(afterForget).toMatchObject({ status: "created" });
      expect(afterForget.id).not.toBe(forgotten.id);

      // Updated away from OTHER: it is no longer OTHER's near duplicate, but the new text's.
      const changed = await memory.remember({ namespace: ["v"], content: OTHER });
      await memory.update(changed.id, { content: FACT });
      expect(await memory.remember({ namespace: ["v"], content: NEAR_OTHER })).toMatchObject({
        status: "created",
      });
      expect(
        await memory.remember({ namespace: ["v"], content: NEAR_FACT, tags: ["new"] }),
      ).toMatchObject({
        status: "merged",
        id: changed.id,
      });

      const expiring = await memory.remember({ namespace: ["w"], content: OTHER, ttlMs: 1000 });
      clock.advance(1000);
      const afterExpiry = await memory.remember({ namespace: ["w"], content: NEAR_OTHER });
      expect(afterExpiry.status).toBe("created");
      expect(afterExpiry.id).not.toBe(expiring.id);

      await memory.forgetNamespace(["t"]);
      expect(await memory.remember({ namespace: ["t"], content: FACT })).toMatchObject({
        status: "created",
      });
      expect(await everything(memory, ["t"])).toEqual([FACT]);
    });

    it("sees near duplicates another process wrote, before and after its own writes", async () => {
      const { memory, reopen } = await setUp(target);
      const other = await reopen();
      const mine = await memory.remember({ namespace: ["t"], content: FACT });
      // The other process indexes the namespace, then this one writes to it again.
      expect(
        await other.remember({ namespace: ["t"], content: NEAR_FACT, tags: ["b"] }),
      ).toMatchObject({
        status: "merged",
        id: mine.id,
      });
      const theirs = await memory.remember({ namespace: ["t"], content: OTHER });
      expect(
        await other.remember({ namespace: ["t"], content: NEAR_OTHER, tags: ["b"] }),
      ).toMatchObject({
        status: "merged",
        id: theirs.id,
      });
    });

    it("keeps the numbers guard and threshold 1 with the band index", async () => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["t"], content: `${FACT} in 2024` });
      expect(await memory.remember({ namespace: ["t"], content: `${FACT} in 2025` })).toMatchObject(
        { status: "created" },
      );
      const exactOnly = await setUp(target, { dedup: { threshold: 1 } });
      await exactOnly.memory.remember({ namespace: ["t"], content: FACT });
      expect(
        await exactOnly.memory.remember({ namespace: ["t"], content: NEAR_FACT }),
      ).toMatchObject({ status: "created" });
    });
  });
}
