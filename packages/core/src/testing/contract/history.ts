import { describe, expect, it } from "vitest";
import { type ContractTarget, START, setUp } from "./harness.js";

export function historyCases(target: ContractTarget): void {
  describe("history", () => {
    it("records creation, updates, merges and deletion with before and after", async () => {
      const { memory, clock } = await setUp(target);
      const { id } = await memory.remember({ namespace: ["t"], content: "Uses MySQL" });
      clock.advance(10);
      await memory.update(id, { content: "Uses PostgreSQL" });
      clock.advance(10);
      await memory.remember({ namespace: ["t"], content: "Uses PostgreSQL", tags: ["db"] });
      clock.advance(10);
      await memory.forget(id);
      const entries = await memory.history(id);
      expect(entries.map((e) => e.action)).toEqual(["created", "updated", "merged", "deleted"]);
      expect(entries.map((e) => e.at.getTime() - START)).toEqual([0, 10, 20, 30]);
      expect(entries[0]).toMatchObject({ before: undefined, after: { content: "Uses MySQL" } });
      expect(entries[1]).toMatchObject({
        before: { content: "Uses MySQL" },
        after: { content: "Uses PostgreSQL" },
      });
      expect(entries[2]!.after?.tags).toEqual(["db"]);
      expect(entries[3]).toMatchObject({
        before: { content: "Uses PostgreSQL", tags: ["db"] },
        after: undefined,
      });
      expect(entries[3]!.namespace).toEqual(["t"]);
      expect(await memory.history("0190a0a0-0000-7000-8000-000000000000")).toEqual([]);
    });

    it("records nothing for an update that changes nothing (a retried update)", async () => {
      const { memory, clock } = await setUp(target);
      const { id } = await memory.remember({
        namespace: ["t"],
        content: "Standup at 9:30",
        tags: ["team"],
        metadata: { room: "b2" },
        expiresAt: START + 86_400_000,
      });
      clock.advance(10);
      const patch = { content: "Standup at 9:45", tags: ["team"], importance: 0.7 };
      const first = await memory.update(id, patch);
      clock.advance(10);
      const again = await memory.update(id, patch);
      expect(again).toEqual(first);
      expect(again.updatedAt.getTime() - START).toBe(10);
      const same = await memory.update(id, {
        metadata: { room: "b2" },
        expiresAt: START + 86_400_000,
        pinned: false,
      });
      expect(same).toEqual(first);
      expect((await memory.history(id)).map((e) => e.action)).toEqual(["created", "updated"]);
    });

    it("records each memory a filtered forget removes", async () => {
      const { memory } = await setUp(target);
      const results = await memory.remember([
        { namespace: ["t"], content: "task a", kind: "task" },
        { namespace: ["t"], content: "task b", kind: "task" },
      ]);
      expect(await memory.forget({ namespace: ["t"], kinds: ["task"] })).toBe(2);
      for (const { id } of results) {
        expect((await memory.history(id)).map((e) => e.action)).toEqual(["created", "deleted"]);
      }
    });

    it("is erased with its namespace", async () => {
      const { memory } = await setUp(target);
      const { id } = await memory.remember({ namespace: ["t", "alice"], content: "secret" });
      const { id: kept } = await memory.remember({ namespace: ["t", "bob"], content: "other" });
      await memory.update(id, { content: "still secret" });
      await memory.forgetNamespace(["t", "alice"]);
      expect(await memory.history(id)).toEqual([]);
      expect(await memory.history(kept)).toHaveLength(1);
    });
  });

  describe("access tracking", () => {
    it("counts recalls and stamps the last access", async () => {
      const { memory, clock } = await setUp(target);
      const { id } = await memory.remember({
        namespace: ["t"],
        content: "Biscuit is the office dog",
      });
      await memory.remember({ namespace: ["t"], content: "Unrelated note about lunch" });
      clock.advance(500);
      const [hit] = await memory.recall({ namespace: ["t"], query: "office dog", limit: 1 });
      expect(hit).toMatchObject({ id, accessCount: 1, lastAccessedAt: new Date(START + 500) });
      clock.advance(500);
      await memory.recall({ namespace: ["t"], query: "office dog", limit: 1 });
      expect(await memory.get(id)).toMatchObject({
        accessCount: 2,
        lastAccessedAt: new Date(START + 1000),
      });
      // Reading is not a change: no history, and list and get do not count as use.
      expect((await memory.history(id)).map((e) => e.action)).toEqual(["created"]);
    });
  });
}
