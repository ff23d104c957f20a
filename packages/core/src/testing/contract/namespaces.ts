import { describe, expect, it } from "vitest";
import { type ContractTarget, setUp } from "./harness.js";

export function namespaceCases(target: ContractTarget): void {
  describe("namespaces", () => {
    it("lists the namespaces that hold memories, sorted, narrowed by within", async () => {
      const { memory } = await setUp(target);
      expect(await memory.namespaces()).toEqual([]);
      await memory.remember([
        { namespace: ["t", "users", "bob"], content: "Bob prefers coffee" },
        { namespace: ["t", "users", "alice"], content: "Alice prefers tea" },
        { namespace: ["u"], content: "another tenant" },
      ]);
      const gone = await memory.remember({ namespace: ["t", "gone"], content: "short-lived" });
      await memory.forget(gone.id);
      expect(await memory.namespaces()).toEqual([
        ["t", "users", "alice"],
        ["t", "users", "bob"],
        ["u"],
      ]);
      expect(await memory.namespaces({ within: ["t", "users"] })).toEqual([
        ["t", "users", "alice"],
        ["t", "users", "bob"],
      ]);
      await expect(memory.namespaces({ within: [] as string[] })).rejects.toMatchObject({
        code: "INVALID_NAMESPACE",
      });
    });

    it("never shows one namespace's memories in a sibling", async () => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["t", "users", "alice"], content: "Alice prefers tea" });
      await memory.remember({ namespace: ["t", "users", "bob"], content: "Bob prefers coffee" });
      const hits = await memory.recall({ namespace: ["t", "users", "bob"], query: "prefers tea" });
      expect(hits.map((hit) => hit.content)).toEqual(["Bob prefers coffee"]);
      const page = await memory.list({ namespace: ["t", "users", "alice"] });
      expect(page.memories.map((m) => m.content)).toEqual(["Alice prefers tea"]);
    });

    it("matches an exact namespace without its children", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t", "team"], content: "team charter" },
        { namespace: ["t", "team", "alice"], content: "alice note" },
      ]);
      const page = await memory.list({ namespace: ["t", "team"] });
      expect(page.memories.map((m) => m.content)).toEqual(["team charter"]);
    });

    it("matches a whole subtree with within, the prefix included", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t", "team"], content: "team charter" },
        { namespace: ["t", "team", "alice"], content: "alice note" },
        { namespace: ["t", "team", "alice", "agents", "x"], content: "agent note" },
        { namespace: ["t", "other"], content: "other note" },
      ]);
      const page = await memory.list({ within: ["t", "team"] });
      expect(page.memories.map((m) => m.content).sort()).toEqual([
        "agent note",
        "alice note",
        "team charter",
      ]);
      const hits = await memory.recall({ within: ["t", "team"], query: "note", limit: 10 });
      expect(hits.map((h) => h.content)).not.toContain("other note");
      expect(
        hits
          .slice(0, 2)
          .map((h) => h.content)
          .sort(),
      ).toEqual(["agent note", "alice note"]);
    });

    it("treats segments as whole: within [a, b] excludes [a, bc]", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["a", "b"], content: "in b" },
        { namespace: ["a", "bc"], content: "in bc" },
        { namespace: ["a", "b0"], content: "in b0" },
        { namespace: ["a", "b-"], content: "in b-" },
      ]);
      const page = await memory.list({ within: ["a", "b"] });
      expect(page.memories.map((m) => m.content)).toEqual(["in b"]);
    });

    it("searches a crew's shared space together with one member's own namespace", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["acme", "spaces", "crew"], content: "shared finding about pricing" },
        {
          namespace: ["acme", "users", "w", "agents", "writer"],
          content: "writer draft about pricing",
        },
        {
          namespace: ["acme", "users", "r", "agents", "researcher"],
          content: "researcher scratch about pricing",
        },
      ]);
      const hits = await memory.recall({
        namespace: [
          ["acme", "spaces", "crew"],
          ["acme", "users", "w", "agents", "writer"],
        ],
        query: "pricing",
      });
      expect(hits.map((h) => h.content).sort()).toEqual([
        "shared finding about pricing",
        "writer draft about pricing",
      ]);
    });

    it("keeps [a:b] and [a, b] apart", async () => {
      const { memory } = await setUp(target);
      await memory.remember({ namespace: ["a:b"], content: "colon" });
      await memory.remember({ namespace: ["a", "b"], content: "nested" });
      expect((await memory.list({ namespace: ["a:b"] })).memories.map((m) => m.content)).toEqual([
        "colon",
      ]);
      expect((await memory.list({ namespace: ["a", "b"] })).memories.map((m) => m.content)).toEqual(
        ["nested"],
      );
      expect((await memory.list({ within: ["a"] })).memories.map((m) => m.content)).toEqual([
        "nested",
      ]);
      const [stored] = (await memory.list({ namespace: ["a:b"] })).memories;
      expect(stored?.namespace).toEqual(["a:b"]);
    });
  });
}
