import { describe, expect, it } from "vitest";
import { createTestEmbedder } from "../test-embedder.js";
import { type ContractTarget, everything, expectCode, setUp } from "./harness.js";

export function lifecycleCases(target: ContractTarget): void {
  describe("expiry", () => {
    it("hides an expired memory from get, list, recall and key lookups", async () => {
      const { memory, clock } = await setUp(target);
      const { id } = await memory.remember({
        namespace: ["t"],
        content: "short-lived secret",
        key: "secret",
        expiresAt: clock.now + 60_000,
      });
      expect(await memory.get(id)).toBeDefined();
      clock.advance(60_000);
      expect(await memory.get(id)).toBeUndefined();
      expect((await memory.list({ namespace: ["t"] })).memories).toEqual([]);
      expect(await memory.recall({ namespace: ["t"], query: "secret" })).toEqual([]);
      const again = await memory.remember({
        namespace: ["t"],
        key: "secret",
        content: "new secret",
      });
      expect(again.status).toBe("created");
    });
  });

  describe("persistence", () => {
    it("keeps memories across a reopen", async () => {
      const { memory, reopen } = await setUp(target);
      const { id } = await memory.remember({
        namespace: ["t"],
        content: "The team uses PostgreSQL",
        tags: ["db"],
      });
      const before = await memory.get(id);
      await memory.close();
      const reopened = await reopen();
      expect(await reopened.get(id)).toEqual(before);
      const [hit] = await reopened.recall({ namespace: ["t"], query: "PostgreSQL" });
      expect(hit?.id).toBe(id);
    });

    it("remembers which embedding space it holds across a reopen", async () => {
      const { memory, reopen } = await setUp(target);
      await memory.remember({ namespace: ["t"], content: "bound to 256 dimensions" });
      await memory.close();
      const other = await reopen({ embedder: createTestEmbedder({ dimensions: 64 }) });
      await expectCode(
        other.remember({ namespace: ["t"], content: "wrong size" }),
        "DIMENSION_MISMATCH",
      );
      const renamed = await reopen({ embedder: createTestEmbedder({ model: "another-model" }) });
      await expectCode(
        renamed.remember({ namespace: ["t"], content: "wrong model" }),
        "EMBEDDER_MISMATCH",
      );
      expect(await everything(renamed, ["t"])).toEqual(["bound to 256 dimensions"]);
    });
  });

  describe("forgetNamespace", () => {
    it("erases exactly the subtree and nothing beside it", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["acme"], content: "tenant root" },
        { namespace: ["acme", "users", "alice"], content: "alice 1" },
        { namespace: ["acme", "users", "alice"], content: "alice 2", key: "k" },
        { namespace: ["acme", "users", "alice", "agents", "planner"], content: "alice agent" },
        { namespace: ["acme", "users", "alice2"], content: "alice2" },
        { namespace: ["acme", "users", "alice-x"], content: "alice-x" },
        { namespace: ["acme", "users", "bob"], content: "bob" },
        { namespace: ["other", "users", "alice"], content: "other tenant alice" },
      ]);
      expect(await memory.forgetNamespace(["acme", "users", "alice"])).toBe(3);
      expect(await everything(memory, ["acme"])).toEqual([
        "alice-x",
        "alice2",
        "bob",
        "tenant root",
      ]);
      expect(await everything(memory, ["other"])).toEqual(["other tenant alice"]);
      expect(await memory.recall({ within: ["acme", "users", "alice"], query: "alice" })).toEqual(
        [],
      );
      expect(await memory.forgetNamespace(["acme", "users", "alice"])).toBe(0);
    });

    it("frees erased keys for reuse", async () => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["t", "u"], key: "k", content: "before" });
      await memory.forgetNamespace(["t"]);
      const again = await memory.remember({ namespace: ["t", "u"], key: "k", content: "after" });
      expect(again.status).toBe("created");
    });
  });

  describe("closing", () => {
    it("refuses calls after close with CLOSED", async () => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["t"], content: "x" });
      await memory.close();
      await expectCode(memory.list({ namespace: ["t"] }), "CLOSED");
      await expectCode(memory.remember({ namespace: ["t"], content: "y" }), "CLOSED");
    });
  });
}
