import { describe, expect, it } from "vitest";
import { type ContractTarget, setUp } from "./harness.js";

export function conversationErasureCases(target: ContractTarget): void {
  describe("erasing conversations", () => {
    it("erases threads, messages, working memory, summaries and ingest state, and counts them", async () => {
      const { memory } = await setUp(target);
      const alice = ["t", "users", "alice"];
      const bob = ["t", "users", "bob"];
      for (const namespace of [alice, [...alice, "agents", "x"], bob]) {
        await memory.messages.append({
          namespace,
          threadId: "chat",
          messages: [
            { id: "m1", role: "user", content: `I am ${namespace.join("/")}` },
            { id: "m2", role: "assistant", content: "noted" },
          ],
        });
        await memory.workingMemory.replace({ namespace, content: { who: namespace.join("/") } });
        await memory.workingMemory.replace({
          namespace,
          threadId: "chat",
          content: "thread notes",
        });
        await memory.ingest({
          namespace,
          threadId: "chat",
          summarize: async () => "a summary",
          summaryTokens: 1,
          keepRecent: 0,
        });
      }
      await memory.threads.create({ namespace: alice, id: "empty" });

      const report = await memory.forgetNamespace(alice);
      expect(report).toEqual({
        memories: 2,
        threads: 3,
        messages: 4,
        workingMemories: 4,
        attached: {},
      });
      expect(await memory.threads.get({ within: alice, threadId: "chat" })).toBeUndefined();
      expect(
        (await memory.threads.list({ within: ["t"] })).threads.map((t) => t.namespace),
      ).toEqual([bob]);
      expect(await memory.messages.get({ within: alice, ids: ["m1", "m2"] })).toEqual([
        undefined,
        undefined,
      ]);
      expect(await memory.workingMemory.get({ namespace: alice })).toBeUndefined();
      expect(
        await memory.workingMemory.get({ namespace: [...alice, "agents", "x"] }),
      ).toBeUndefined();
      // A thread created again under the same address starts from nothing: no messages, no
      // summary, and ingest reads from the beginning.
      const again = await memory.messages.append({
        namespace: alice,
        threadId: "chat",
        messages: [{ role: "user", content: "fresh start" }],
      });
      expect(again).toHaveLength(1);
      const thread = await memory.threads.get({ namespace: alice, threadId: "chat" });
      expect(thread).toMatchObject({ messageCount: 1, summary: undefined });
      expect((await memory.ingest({ namespace: alice, threadId: "chat" })).messages).toBe(1);

      // Bob's namespace kept everything.
      expect(await memory.threads.get({ namespace: bob, threadId: "chat" })).toMatchObject({
        messageCount: 2,
        summary: { text: "a summary" },
      });
      expect(
        await memory.messages.get({ namespace: bob, threadId: "chat", ids: ["m1"] }),
      ).toMatchObject([{ content: "I am t/users/bob" }]);
      expect(await memory.workingMemory.get({ namespace: bob })).toMatchObject({
        content: { who: "t/users/bob" },
      });
      expect(await memory.workingMemory.get({ namespace: bob, threadId: "chat" })).toMatchObject({
        content: "thread notes",
      });
      expect(await memory.forgetNamespace(["t", "nobody"])).toEqual({
        memories: 0,
        threads: 0,
        messages: 0,
        workingMemories: 0,
        attached: {},
      });
    });

    it("erases a sibling-prefixed namespace only when it is inside the subtree", async () => {
      const { memory } = await setUp(target);
      await memory.messages.append({
        namespace: ["t", "a"],
        threadId: "x",
        messages: [{ role: "user", content: "in" }],
      });
      await memory.messages.append({
        namespace: ["t", "ab"],
        threadId: "x",
        messages: [{ role: "user", content: "out" }],
      });
      expect((await memory.forgetNamespace(["t", "a"])).threads).toBe(1);
      expect(await memory.threads.get({ namespace: ["t", "ab"], threadId: "x" })).toMatchObject({
        messageCount: 1,
      });
    });
  });
}
