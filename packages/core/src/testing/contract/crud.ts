import { describe, expect, it } from "vitest";
import { type ContractTarget, expectCode, START, setUp } from "./harness.js";

export function crudCases(target: ContractTarget): void {
  describe("records", () => {
    it("remembers with defaults and returns the whole record", async () => {
      const { memory } = await setUp(target);
      const result = await memory.remember({ namespace: ["t", "u"], content: "The sky is blue" });
      expect(result.status).toBe("created");
      expect(result.id).toBe(result.memory.id);
      expect(result.memory).toMatchObject({
        namespace: ["t", "u"],
        content: "The sky is blue",
        kind: "fact",
        key: undefined,
        metadata: {},
        tags: [],
        importance: 0.5,
        pinned: false,
        accessCount: 0,
        expiresAt: undefined,
        embedding: { model: "engram-test", dimensions: 256 },
      });
      expect(result.memory.createdAt).toEqual(new Date(START));
      expect(result.memory.updatedAt).toEqual(new Date(START));
      expect(result.memory.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("round-trips every field through get", async () => {
      const { memory, clock } = await setUp(target);
      const input = {
        namespace: ["t", "u"],
        content: "Deploys happen on Tuesdays",
        kind: "procedure",
        key: "deploy-day",
        metadata: { source: "chat", turn: 3, nested: { ok: true, list: [1, "two", null] } },
        tags: ["ops", "schedule"],
        importance: 0.9,
        pinned: true,
        expiresAt: new Date(clock.now + 86_400_000),
      };
      const { id } = await memory.remember(input);
      const stored = await memory.get(id);
      expect(stored).toMatchObject({ ...input, expiresAt: input.expiresAt });
      expect(await memory.get("0190a0a0-0000-7000-8000-000000000000")).toBeUndefined();
    });

    it("gets a memory by the key it was remembered under, in that namespace only", async () => {
      const { memory, clock } = await setUp(target);
      const { id } = await memory.remember({
        namespace: ["t", "u"],
        key: "city",
        content: "Paris",
      });
      expect((await memory.get({ namespace: ["t", "u"], key: "city" }))?.id).toBe(id);
      expect(await memory.get({ namespace: ["t"], key: "city" })).toBeUndefined();
      expect(await memory.get({ namespace: ["t", "u"], key: "town" })).toBeUndefined();
      await memory.remember({
        namespace: ["t", "u"],
        key: "brief",
        content: "gone soon",
        ttlMs: 10,
      });
      clock.advance(10);
      expect(await memory.get({ namespace: ["t", "u"], key: "brief" })).toBeUndefined();
      await expectCode(memory.get({ namespace: ["t", "u"], key: "" }), "INVALID_ARGUMENT");
      await expectCode(memory.get({ namespace: ["t", "/"], key: "city" }), "INVALID_NAMESPACE");
    });

    it("copies metadata, so later changes to the caller's object do not leak in", async () => {
      const { memory } = await setUp(target);
      const metadata = { list: [1] };
      const { id } = await memory.remember({ namespace: ["t"], content: "x", metadata });
      metadata.list.push(2);
      expect((await memory.get(id))?.metadata).toEqual({ list: [1] });
    });

    it("remembers a batch in order", async () => {
      const { memory } = await setUp(target);
      const results = await memory.remember([
        { namespace: ["t"], content: "one" },
        { namespace: ["t", "x"], content: "two", kind: "episode" },
        { namespace: ["t"], content: "three" },
      ]);
      expect(results.map((r) => [r.status, r.memory.content])).toEqual([
        ["created", "one"],
        ["created", "two"],
        ["created", "three"],
      ]);
      for (const result of results)
        expect((await memory.get(result.id))?.content).toBe(result.memory.content);
    });

    it("updates fields, keeps id and createdAt, and moves updatedAt", async () => {
      const { memory, clock } = await setUp(target);
      const { id } = await memory.remember({
        namespace: ["t"],
        content: "Uses MySQL",
        tags: ["db"],
      });
      clock.advance(1000);
      const updated = await memory.update(id, {
        content: "Uses PostgreSQL",
        importance: 0.8,
        metadata: { v: 2 },
      });
      expect(updated).toMatchObject({
        id,
        content: "Uses PostgreSQL",
        importance: 0.8,
        metadata: { v: 2 },
        tags: ["db"],
      });
      expect(updated.createdAt).toEqual(new Date(START));
      expect(updated.updatedAt).toEqual(new Date(START + 1000));
      expect(await memory.get(id)).toEqual(updated);
      const [hit] = await memory.recall({
        namespace: ["t"],
        query: "PostgreSQL",
        mode: "semantic",
      });
      expect(hit?.id).toBe(id);
      expect(hit?.contentHash).toBe(updated.contentHash);
    });

    it("clears optional fields with null", async () => {
      const { memory, clock } = await setUp(target);
      const { id } = await memory.remember({
        namespace: ["t"],
        content: "temporary",
        key: "k",
        expiresAt: clock.now + 5000,
      });
      const updated = await memory.update(id, { key: null, expiresAt: null });
      expect(updated.key).toBeUndefined();
      expect(updated.expiresAt).toBeUndefined();
      clock.advance(10_000);
      expect(await memory.get(id)).toBeDefined();
    });

    it("throws NOT_FOUND when updating an unknown id", async () => {
      const { memory } = await setUp(target);
      await expectCode(
        memory.update("0190a0a0-0000-7000-8000-000000000000", { pinned: true }),
        "NOT_FOUND",
      );
    });

    it("forgets by id, by ids and reports how many existed", async () => {
      const { memory } = await setUp(target);
      const [a, b, c] = await memory.remember([
        { namespace: ["t"], content: "a" },
        { namespace: ["t"], content: "b" },
        { namespace: ["t"], content: "c" },
      ]);
      expect(await memory.forget(a!.id)).toBe(1);
      expect(await memory.forget(a!.id)).toBe(0);
      expect(await memory.get(a!.id)).toBeUndefined();
      expect(await memory.forget([b!.id, c!.id, a!.id])).toBe(2);
      expect((await memory.list({ namespace: ["t"] })).memories).toEqual([]);
    });

    it("forgets by filter within its scope only", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t", "a"], content: "task one", kind: "task" },
        { namespace: ["t", "a"], content: "fact one", kind: "fact" },
        { namespace: ["t", "b"], content: "task two", kind: "task" },
      ]);
      expect(await memory.forget({ namespace: ["t", "a"], kinds: ["task"] })).toBe(1);
      expect((await memory.list({ within: ["t"] })).memories.map((m) => m.content).sort()).toEqual([
        "fact one",
        "task two",
      ]);
    });
  });

  describe("upsert by key", () => {
    it("updates in place when a key is remembered again in the same namespace", async () => {
      const { memory, clock } = await setUp(target);
      const first = await memory.remember({
        namespace: ["t"],
        key: "editor",
        content: "Prefers vim",
        kind: "preference",
      });
      clock.advance(50);
      const second = await memory.remember({
        namespace: ["t"],
        key: "editor",
        content: "Prefers emacs",
        kind: "preference",
      });
      expect(second.status).toBe("updated");
      expect(second.id).toBe(first.id);
      expect(second.memory.createdAt).toEqual(first.memory.createdAt);
      expect(second.memory.updatedAt).toEqual(new Date(START + 50));
      const page = await memory.list({ namespace: ["t"] });
      expect(page.memories.map((m) => m.content)).toEqual(["Prefers emacs"]);
    });

    it("keeps the same key in different namespaces apart", async () => {
      const { memory } = await setUp(target);
      const a = await memory.remember({ namespace: ["t", "a"], key: "k", content: "for a" });
      const b = await memory.remember({ namespace: ["t", "b"], key: "k", content: "for b" });
      expect(b.status).toBe("created");
      expect(b.id).not.toBe(a.id);
      expect((await memory.get(a.id))?.content).toBe("for a");
    });

    it("writes a key repeated in one batch once, with its last value", async () => {
      const { memory } = await setUp(target);
      const results = await memory.remember([
        { namespace: ["t"], key: "k", content: "first" },
        { namespace: ["t"], key: "k", content: "second" },
      ]);
      expect(results.map((r) => r.status)).toEqual(["created", "updated"]);
      expect(results[1]!.id).toBe(results[0]!.id);
      expect((await memory.list({ namespace: ["t"] })).memories.map((m) => m.content)).toEqual([
        "second",
      ]);
    });

    it("refuses to give a memory a key another memory in its namespace holds", async () => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["t"], key: "taken", content: "holder" });
      const { id } = await memory.remember({ namespace: ["t"], content: "other" });
      await expectCode(memory.update(id, { key: "taken" }), "CONFLICT");
      expect((await memory.get(id))?.key).toBeUndefined();
    });
  });
}
