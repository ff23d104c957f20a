import { describe, expect, it } from "vitest";
import type { MessageInput, MessagePart, MessageRole } from "../../conversation/types.js";
import type { Memory } from "../../memory/create-memory.js";
import { type ContractTarget, expectCode, START, setUp } from "./harness.js";

const NS = ["t", "users", "alice"];
const at = { namespace: NS, threadId: "chat" };

/** `count` messages m0.. alternating user/assistant, one millisecond apart from `from`. */
function numbered(count: number, from = START - 1_000_000): MessageInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    role: (i % 2 === 0 ? "user" : "assistant") as MessageRole,
    content: `message ${i}`,
    createdAt: from + i,
  }));
}

async function ids(
  memory: Memory,
  options: Omit<Parameters<Memory["messages"]["list"]>[0], "namespace" | "threadId"> = {},
) {
  const window = await memory.messages.list({ ...at, ...options });
  return window.messages.map((message) => message.id);
}

export function messageCases(target: ContractTarget): void {
  describe("messages", () => {
    it("appends text and structured messages, creating the thread", async () => {
      const { memory, clock } = await setUp(target);
      const parts: MessagePart[] = [
        { type: "text", text: "Checking the weather." },
        { type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } },
      ];
      const stored = await memory.messages.append({
        ...at,
        messages: [
          { role: "user", content: "What's the weather in Paris?", metadata: { client: "web" } },
          { role: "assistant", content: parts },
          {
            role: "tool",
            content: [
              {
                type: "tool-result",
                toolCallId: "c1",
                toolName: "weather",
                output: { sky: "sun" },
              },
            ],
          },
        ],
      });
      expect(stored).toHaveLength(3);
      expect(stored[0]).toEqual({
        id: stored[0]!.id,
        threadId: "chat",
        namespace: NS,
        role: "user",
        content: "What's the weather in Paris?",
        metadata: { client: "web" },
        createdAt: new Date(START),
      });
      expect(stored[1]!.content).toEqual(parts);
      expect(new Set(stored.map((m) => m.id)).size).toBe(3);
      const thread = await memory.threads.get(at);
      expect(thread).toMatchObject({
        messageCount: 3,
        updatedAt: new Date(START),
        createdAt: new Date(START),
      });
      clock.advance(7);
      await memory.messages.append({ ...at, messages: [{ role: "user", content: "And Rome?" }] });
      expect(await memory.threads.get(at)).toMatchObject({
        messageCount: 4,
        updatedAt: new Date(START + 7),
      });
      const window = await memory.messages.list(at);
      expect(window.messages.map((m) => m.content)).toEqual([
        "What's the weather in Paris?",
        parts,
        stored[2]!.content,
        "And Rome?",
      ]);
    });

    it("skips ids the thread holds: a retried batch and a repeated id change nothing", async () => {
      const { memory, clock } = await setUp(target);
      const batch: MessageInput[] = [
        { id: "a", role: "user", content: "first" },
        { id: "b", role: "assistant", content: "second" },
      ];
      const first = await memory.messages.append({ ...at, messages: batch });
      clock.advance(50);
      const retried = await memory.messages.append({ ...at, messages: batch });
      expect(retried).toEqual(first);
      expect(await memory.threads.get(at)).toMatchObject({
        messageCount: 2,
        updatedAt: new Date(START),
      });
      // A retry whose batch grew: the known ids come back as stored, the new one is added.
      const grown = await memory.messages.append({
        ...at,
        messages: [
          { id: "b", role: "assistant", content: "second, but edited" },
          { id: "c", role: "user", content: "third" },
          { id: "c", role: "user", content: "third again" },
        ],
      });
      expect(grown.map((m) => m.content)).toEqual(["second", "third", "third"]);
      expect(await ids(memory)).toEqual(["a", "b", "c"]);
      expect(await memory.threads.get(at)).toMatchObject({ messageCount: 3 });
    });

    it("orders by createdAt, then append order, whatever order they arrive in", async () => {
      const { memory } = await setUp(target);
      await memory.messages.append({
        ...at,
        messages: [
          { id: "late", role: "user", content: "x", createdAt: START + 10 },
          { id: "tie-1", role: "user", content: "x", createdAt: START + 5 },
          { id: "tie-2", role: "user", content: "x", createdAt: START + 5 },
        ],
      });
      await memory.messages.append({
        ...at,
        messages: [
          { id: "early", role: "user", content: "x", createdAt: START },
          { id: "tie-3", role: "user", content: "x", createdAt: START + 5 },
        ],
      });
      expect(await ids(memory)).toEqual(["early", "tie-1", "tie-2", "tie-3", "late"]);
    });

    it("reads windows: the last n, pages before and after, time ranges and roles", async () => {
      const { memory } = await setUp(target);
      const from = START - 1_000_000;
      await memory.messages.append({ ...at, messages: numbered(120, from) });
      const all = Array.from({ length: 120 }, (_, i) => `m${i}`);

      const latest = await memory.messages.list(at);
      expect(latest.messages.map((m) => m.id)).toEqual(all.slice(70));
      expect(latest.previousCursor).toBe("m70");
      expect(latest.nextCursor).toBeUndefined();
      expect(await ids(memory, { last: 5 })).toEqual(all.slice(115));

      // Walk backwards to the start, then forwards to the end: every message once, in order.
      const backwards: string[] = [];
      let window = await memory.messages.list({ ...at, last: 25 });
      for (;;) {
        backwards.unshift(...window.messages.map((m) => m.id));
        if (!window.previousCursor) break;
        window = await memory.messages.list({ ...at, before: window.previousCursor, limit: 25 });
      }
      expect(backwards).toEqual(all);
      expect(window.nextCursor).toBe("m19");
      const forwards: string[] = [];
      window = await memory.messages.list({ ...at, after: "m0", limit: 30 });
      expect(window.previousCursor).toBe("m1");
      for (;;) {
        forwards.push(...window.messages.map((m) => m.id));
        if (!window.nextCursor) break;
        window = await memory.messages.list({ ...at, after: window.nextCursor, limit: 30 });
      }
      expect(forwards).toEqual(all.slice(1));

      expect(await ids(memory, { after: "m10", before: "m14" })).toEqual(["m11", "m12", "m13"]);
      expect(await ids(memory, { before: "m3" })).toEqual(["m0", "m1", "m2"]);
      expect(await ids(memory, { from: from + 40, to: from + 44 })).toEqual([
        "m40",
        "m41",
        "m42",
        "m43",
      ]);
      expect(await ids(memory, { from: new Date(from + 117) })).toEqual(["m117", "m118", "m119"]);
      const ranged = await memory.messages.list({ ...at, to: from + 60, last: 5 });
      expect(ranged.messages.map((m) => m.id)).toEqual(["m55", "m56", "m57", "m58", "m59"]);
      expect(ranged.nextCursor).toBeUndefined();
      expect(ranged.previousCursor).toBe("m55");
      expect(await ids(memory, { roles: ["assistant"], last: 3 })).toEqual([
        "m115",
        "m117",
        "m119",
      ]);
      expect(await ids(memory, { roles: ["user"], after: "m99", limit: 3 })).toEqual([
        "m100",
        "m102",
        "m104",
      ]);
      expect(await ids(memory, { roles: ["system"] })).toEqual([]);
      await expectCode(memory.messages.list({ ...at, before: "nope" }), "NOT_FOUND");
      expect(await memory.messages.list({ namespace: NS, threadId: "never-created" })).toEqual({
        messages: [],
        previousCursor: undefined,
        nextCursor: undefined,
      });
    });

    it("gets messages by id in a thread and anywhere in a scope", async () => {
      const { memory, clock } = await setUp(target);
      await memory.messages.append({ ...at, messages: numbered(5) });
      clock.advance(10);
      await memory.messages.append({
        namespace: ["t", "users", "bob"],
        threadId: "other",
        messages: [
          { id: "m1", role: "user", content: "bob's m1" },
          { id: "b1", role: "user", content: "bob only" },
        ],
      });
      await memory.messages.append({
        namespace: ["u", "users", "carol"],
        threadId: "chat",
        messages: [{ id: "c1", role: "user", content: "carol" }],
      });
      const inThread = await memory.messages.get({ ...at, ids: ["m3", "nope", "m0"] });
      expect(inThread.map((m) => m?.content)).toEqual(["message 3", undefined, "message 0"]);
      const inScope = await memory.messages.get({ within: ["t"], ids: ["m2", "b1", "c1", "m1"] });
      expect(inScope.map((m) => m && [m.threadId, m.content])).toEqual([
        ["chat", "message 2"],
        ["other", "bob only"],
        undefined,
        // Both threads hold m1: Bob's was updated last.
        ["other", "bob's m1"],
      ]);
      expect(inScope[0]!.namespace).toEqual(NS);
    });

    it("updates and deletes messages, keeping their place", async () => {
      const { memory, clock } = await setUp(target);
      await memory.messages.append({ ...at, messages: numbered(4) });
      clock.advance(20);
      const updated = await memory.messages.update({
        ...at,
        id: "m1",
        content: [{ type: "text", text: "edited" }],
        metadata: { edited: true },
      });
      expect(updated).toMatchObject({
        id: "m1",
        role: "assistant",
        content: [{ type: "text", text: "edited" }],
      });
      expect(updated.metadata).toEqual({ edited: true });
      expect((await memory.messages.update({ ...at, id: "m1", role: "system" })).content).toEqual([
        { type: "text", text: "edited" },
      ]);
      expect(await ids(memory)).toEqual(["m0", "m1", "m2", "m3"]);
      expect((await memory.threads.get(at))?.updatedAt).toEqual(new Date(START + 20));
      await expectCode(memory.messages.update({ ...at, id: "nope", content: "x" }), "NOT_FOUND");

      clock.advance(20);
      expect(await memory.messages.delete({ ...at, ids: ["m0", "m2", "nope"] })).toBe(2);
      expect(await memory.messages.delete({ ...at, ids: ["m0"] })).toBe(0);
      expect(await ids(memory)).toEqual(["m1", "m3"]);
      expect(await memory.threads.get(at)).toMatchObject({
        messageCount: 2,
        updatedAt: new Date(START + 40),
      });
      expect(await memory.messages.get({ within: ["t"], ids: ["m0", "m1"] })).toMatchObject([
        undefined,
        { id: "m1" },
      ]);
      // A deleted id may be appended again, as a new message at the end.
      await memory.messages.append({
        ...at,
        messages: [{ id: "m0", role: "user", content: "back" }],
      });
      expect(await ids(memory)).toEqual(["m1", "m3", "m0"]);
    });

    it("appends to an existing thread only when asked to, and all or nothing", async () => {
      const { memory } = await setUp(target);
      await expectCode(
        memory.messages.append({
          ...at,
          createThread: false,
          messages: [{ role: "user", content: "x" }],
        }),
        "NOT_FOUND",
      );
      expect(await memory.threads.get(at)).toBeUndefined();
      await memory.messages.append({
        ...at,
        messages: [{ id: "keep", role: "user", content: "kept" }],
      });
      const bad: [unknown, string][] = [
        [{ role: "robot", content: "x" }, "INVALID_ARGUMENT"],
        [{ role: "user", content: 42 }, "INVALID_ARGUMENT"],
        [{ role: "user", content: [{ text: "no type" }] }, "INVALID_ARGUMENT"],
        [{ role: "user", content: [{ type: "text", text: () => 1 }] }, "INVALID_ARGUMENT"],
        [{ role: "user", content: "x", metadata: [1] }, "INVALID_ARGUMENT"],
        [{ role: "user", content: "x", createdAt: "never" }, "INVALID_ARGUMENT"],
        [{ role: "user", content: "x", createdAt: -5 }, "INVALID_ARGUMENT"],
        [{ id: "", role: "user", content: "x" }, "INVALID_ARGUMENT"],
        [{ role: "user", content: "x", extra: true }, "INVALID_ARGUMENT"],
        [{ role: "user", content: "x".repeat(1024 * 1024 + 1) }, "INVALID_ARGUMENT"],
      ];
      for (const [message, code] of bad) {
        await expectCode(
          memory.messages.append({
            ...at,
            messages: [{ id: "fine", role: "user", content: "fine" }, message as MessageInput],
          }),
          code,
        );
      }
      await expectCode(
        memory.messages.append({ namespace: ["t", "a/b"], threadId: "chat", messages: [] }),
        "INVALID_NAMESPACE",
      );
      await expectCode(
        memory.messages.append({ ...at, messages: numbered(1001) }),
        "INVALID_ARGUMENT",
      );
      expect(await ids(memory)).toEqual(["keep"]);
      expect(await memory.threads.get(at)).toMatchObject({ messageCount: 1 });
      await expectCode(memory.messages.list({ ...at, last: 5, limit: 5 }), "INVALID_ARGUMENT");
      await expectCode(memory.messages.list({ ...at, last: 5, after: "keep" }), "INVALID_ARGUMENT");
      await expectCode(memory.messages.list({ ...at, limit: 1001 }), "INVALID_ARGUMENT");
      await expectCode(memory.messages.delete({ ...at, ids: [""] }), "INVALID_ARGUMENT");
      expect(await ids(memory)).toEqual(["keep"]);
    });
  });
}
