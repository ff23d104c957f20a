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

  describe("time to live", () => {
    it("expires a memory after its ttlMs", async () => {
      const { memory, clock } = await setUp(target);
      const { memory: stored } = await memory.remember({
        namespace: ["t"],
        content: "brief",
        ttlMs: 1000,
      });
      expect(stored.expiresAt).toEqual(new Date(clock.now + 1000));
      clock.advance(999);
      expect(await memory.get(stored.id)).toBeDefined();
      clock.advance(1);
      expect(await memory.get(stored.id)).toBeUndefined();
    });

    it("gives each kind its default lifetime unless the memory says otherwise", async () => {
      const { memory, clock } = await setUp(target, { ttlByKind: { episode: 60_000 } });
      const [episode, fact, pinnedDown] = await memory.remember([
        { namespace: ["t"], content: "we chatted", kind: "episode" },
        { namespace: ["t"], content: "sky is blue", kind: "fact" },
        { namespace: ["t"], content: "long episode", kind: "episode", ttlMs: 600_000 },
      ]);
      expect(episode!.memory.expiresAt).toEqual(new Date(clock.now + 60_000));
      expect(fact!.memory.expiresAt).toBeUndefined();
      expect(pinnedDown!.memory.expiresAt).toEqual(new Date(clock.now + 600_000));
      clock.advance(60_000);
      expect(await everything(memory, ["t"])).toEqual(["long episode", "sky is blue"]);
    });

    it("refuses both expiresAt and ttlMs at once", async () => {
      const { memory, clock } = await setUp(target);
      await expectCode(
        memory.remember({ namespace: ["t"], content: "x", ttlMs: 5, expiresAt: clock.now + 5 }),
        "INVALID_ARGUMENT",
      );
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
      expect(await memory.forgetNamespace(["acme", "users", "alice"])).toEqual({
        memories: 3,
        threads: 0,
        messages: 0,
        workingMemories: 0,
        attached: {},
      });
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
      expect((await memory.forgetNamespace(["acme", "users", "alice"])).memories).toBe(0);
    });

    it("erases what attached stores keep under the subtree, and reports it", async () => {
      const { memory } = await setUp(target);
      const threads = new Map([
        ["t1", ["acme", "users", "alice"]],
        ["t2", ["acme", "users", "alice", "agents", "x"]],
        ["t3", ["acme", "users", "bob"]],
      ]);
      const detach = memory.attach({
        name: "threads",
        async forgetNamespace(prefix) {
          const doomed = [...threads].filter(([, ns]) =>
            prefix.every((segment, i) => ns[i] === segment),
          );
          for (const [id] of doomed) threads.delete(id);
          return doomed.length;
        },
      });
      await memory.remember({ namespace: ["acme", "users", "alice"], content: "a" });
      expect(await memory.forgetNamespace(["acme", "users", "alice"])).toEqual({
        memories: 1,
        threads: 0,
        messages: 0,
        workingMemories: 0,
        attached: { threads: 2 },
      });
      expect([...threads.keys()]).toEqual(["t3"]);
      detach();
      expect(await memory.forgetNamespace(["acme"])).toEqual({
        memories: 0,
        threads: 0,
        messages: 0,
        workingMemories: 0,
        attached: {},
      });
    });

    it("still asks every attached store when one fails, then reports the failure", async () => {
      const { memory } = await setUp(target);
      let asked = false;
      memory.attach({
        name: "broken",
        forgetNamespace: async () => {
          throw new Error("disk on fire");
        },
      });
      memory.attach({
        name: "fine",
        forgetNamespace: async () => {
          asked = true;
          return 1;
        },
      });
      await expect(memory.forgetNamespace(["t"])).rejects.toThrow("disk on fire");
      expect(asked).toBe(true);
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
