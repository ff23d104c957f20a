import { describe, expect, it } from "vitest";
import type { Memory } from "../../memory/create-memory.js";
import { type ContractTarget, expectCode, START, setUp } from "./harness.js";

const NS = ["t", "users", "alice"];

async function texts(memory: Memory, namespace: readonly string[], threadId: string) {
  const { messages } = await memory.messages.list({ namespace, threadId, last: 1000 });
  return messages.map((message) => message.content);
}

export function threadCases(target: ContractTarget): void {
  describe("threads", () => {
    it("creates, gets, updates and deletes a thread", async () => {
      const { memory, clock } = await setUp(target);
      const created = await memory.threads.create({
        namespace: NS,
        id: "chat-1",
        title: "Planning",
        metadata: { channel: "web" },
      });
      expect(created).toEqual({
        id: "chat-1",
        namespace: NS,
        title: "Planning",
        metadata: { channel: "web" },
        createdAt: new Date(START),
        updatedAt: new Date(START),
        messageCount: 0,
        summary: undefined,
      });
      expect(await memory.threads.get({ namespace: NS, threadId: "chat-1" })).toEqual(created);
      await expectCode(memory.threads.create({ namespace: NS, id: "chat-1" }), "CONFLICT");

      clock.advance(5);
      const renamed = await memory.threads.update({
        namespace: NS,
        threadId: "chat-1",
        title: "Trip planning",
      });
      expect(renamed).toMatchObject({ title: "Trip planning", metadata: { channel: "web" } });
      expect(renamed.updatedAt).toEqual(new Date(START + 5));
      const cleared = await memory.threads.update({
        namespace: NS,
        threadId: "chat-1",
        title: null,
        metadata: { channel: "mobile" },
      });
      expect(cleared).toMatchObject({ title: undefined, metadata: { channel: "mobile" } });
      await expectCode(
        memory.threads.update({ namespace: NS, threadId: "nope", title: "x" }),
        "NOT_FOUND",
      );

      await memory.messages.append({
        namespace: NS,
        threadId: "chat-1",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(await memory.threads.delete({ namespace: NS, threadId: "chat-1" })).toBe(true);
      expect(await memory.threads.delete({ namespace: NS, threadId: "chat-1" })).toBe(false);
      expect(await memory.threads.get({ namespace: NS, threadId: "chat-1" })).toBeUndefined();
      expect(await texts(memory, NS, "chat-1")).toEqual([]);
      // The id is free again, and the new thread starts empty.
      await memory.threads.create({ namespace: NS, id: "chat-1" });
      expect(await texts(memory, NS, "chat-1")).toEqual([]);
    });

    it("generates time-ordered ids and keeps the same id apart in two namespaces", async () => {
      const { memory } = await setUp(target);
      const first = await memory.threads.create({ namespace: NS });
      const second = await memory.threads.create({ namespace: NS });
      expect(first.id < second.id).toBe(true);
      await memory.threads.create({
        namespace: ["t", "users", "bob"],
        id: first.id,
        title: "Bob's",
      });
      expect(
        (await memory.threads.get({ namespace: NS, threadId: first.id }))?.title,
      ).toBeUndefined();
    });

    it("finds a thread by id within a scope, the most recently updated on a tie", async () => {
      const { memory, clock } = await setUp(target);
      await memory.threads.create({ namespace: ["t", "users", "alice"], id: "shared", title: "a" });
      clock.advance(10);
      await memory.threads.create({ namespace: ["t", "users", "bob"], id: "shared", title: "b" });
      await memory.threads.create({ namespace: ["u", "users", "carol"], id: "shared", title: "c" });
      expect((await memory.threads.get({ within: ["t"], threadId: "shared" }))?.title).toBe("b");
      clock.advance(10);
      await memory.messages.append({
        namespace: ["t", "users", "alice"],
        threadId: "shared",
        messages: [{ role: "user", content: "newer now" }],
      });
      expect((await memory.threads.get({ within: ["t"], threadId: "shared" }))?.title).toBe("a");
      expect(
        (await memory.threads.get({ within: ["t", "users", "bob"], threadId: "shared" }))?.title,
      ).toBe("b");
      expect(
        (
          await memory.threads.get({
            namespace: [
              ["t", "x"],
              ["u", "users", "carol"],
            ],
            threadId: "shared",
          })
        )?.title,
      ).toBe("c");
      expect(await memory.threads.get({ within: ["v"], threadId: "shared" })).toBeUndefined();
    });

    it("lists threads newest activity first, pages through them and filters by metadata", async () => {
      const { memory, clock } = await setUp(target);
      for (let i = 0; i < 7; i++) {
        clock.advance(10);
        await memory.threads.create({
          namespace: i % 2 === 0 ? ["t", "a"] : ["t", "b"],
          id: `thread-${i}`,
          metadata: { even: i % 2 === 0, n: i },
        });
      }
      clock.advance(10);
      await memory.messages.append({
        namespace: ["t", "b"],
        threadId: "thread-1",
        messages: [{ role: "user", content: "bump" }],
      });
      const newest = [
        "thread-1",
        "thread-6",
        "thread-5",
        "thread-4",
        "thread-3",
        "thread-2",
        "thread-0",
      ];
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await memory.threads.list({
          within: ["t"],
          limit: 3,
          ...(cursor ? { cursor } : {}),
        });
        expect(page.threads.length).toBeLessThanOrEqual(3);
        seen.push(...page.threads.map((thread) => thread.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(newest);

      const oldest = await memory.threads.list({ within: ["t"], order: "oldest", limit: 100 });
      expect(oldest.threads.map((thread) => thread.id)).toEqual([...newest].reverse());
      expect(oldest.nextCursor).toBeUndefined();

      const even = await memory.threads.list({ within: ["t"], metadata: { even: true }, limit: 2 });
      expect(even.threads.map((thread) => thread.id)).toEqual(["thread-6", "thread-4"]);
      const rest = await memory.threads.list({
        within: ["t"],
        metadata: { even: true },
        limit: 2,
        cursor: even.nextCursor!,
      });
      expect(rest.threads.map((thread) => thread.id)).toEqual(["thread-2", "thread-0"]);
      expect(rest.nextCursor).toBeUndefined();
      // Type-strict: the number 3 is not the string "3".
      expect(
        (await memory.threads.list({ within: ["t"], metadata: { n: 3 } })).threads,
      ).toHaveLength(1);
      expect(
        (await memory.threads.list({ within: ["t"], metadata: { n: "3" } })).threads,
      ).toHaveLength(0);
      const exact = await memory.threads.list({ namespace: ["t", "b"] });
      expect(exact.threads.map((thread) => thread.id)).toEqual([
        "thread-1",
        "thread-5",
        "thread-3",
      ]);
      await expectCode(
        memory.threads.list({ within: ["t"], cursor: "garbage" }),
        "INVALID_ARGUMENT",
      );
    });

    it("clones a thread: all messages, some by id, or the newest, anywhere", async () => {
      const { memory, clock } = await setUp(target);
      await memory.threads.create({
        namespace: NS,
        id: "src",
        title: "Source",
        metadata: { k: 1 },
      });
      const stored = await memory.messages.append({
        namespace: NS,
        threadId: "src",
        messages: ["one", "two", "three", "four"].map((content, i) => ({
          id: `m${i}`,
          role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
          content,
          createdAt: START - 1000 + i,
        })),
      });
      clock.advance(100);
      const copy = await memory.threads.clone({ namespace: NS, threadId: "src" });
      expect(copy).toMatchObject({ title: "Source", metadata: { k: 1 }, messageCount: 4 });
      expect(copy.id).not.toBe("src");
      const copied = await memory.messages.list({ namespace: NS, threadId: copy.id });
      expect(copied.messages.map((m) => m.content)).toEqual(["one", "two", "three", "four"]);
      expect(copied.messages.map((m) => m.createdAt)).toEqual(stored.map((m) => m.createdAt));
      expect(copied.messages.map((m) => m.role)).toEqual(stored.map((m) => m.role));
      expect(copied.messages.some((m) => stored.some((s) => s.id === m.id))).toBe(false);

      const some = await memory.threads.clone({
        namespace: NS,
        threadId: "src",
        messageIds: ["m3", "m1", "missing"],
        keepMessageIds: true,
        to: { namespace: ["t", "users", "bob"], id: "bob-copy", title: "For Bob" },
      });
      expect(some).toMatchObject({
        id: "bob-copy",
        namespace: ["t", "users", "bob"],
        title: "For Bob",
      });
      const bob = await memory.messages.list({
        namespace: ["t", "users", "bob"],
        threadId: "bob-copy",
      });
      expect(bob.messages.map((m) => [m.id, m.content])).toEqual([
        ["m1", "two"],
        ["m3", "four"],
      ]);

      const last = await memory.threads.clone({ namespace: NS, threadId: "src", last: 2 });
      expect(await texts(memory, NS, last.id)).toEqual(["three", "four"]);
      // The source is untouched.
      expect(await texts(memory, NS, "src")).toEqual(["one", "two", "three", "four"]);
      await expectCode(
        memory.threads.clone({ namespace: NS, threadId: "src", to: { id: "src" } }),
        "CONFLICT",
      );
      await expectCode(memory.threads.clone({ namespace: NS, threadId: "nope" }), "NOT_FOUND");
    });

    it("rejects bad thread input and writes nothing", async () => {
      const { memory } = await setUp(target);
      const bad: [Promise<unknown>, string][] = [
        [memory.threads.create({ namespace: ["t", ".."] }), "INVALID_NAMESPACE"],
        [memory.threads.create({ namespace: NS, id: "" }), "INVALID_ARGUMENT"],
        [memory.threads.create({ namespace: NS, id: "a\nb" }), "INVALID_ARGUMENT"],
        [memory.threads.create({ namespace: NS, id: "x".repeat(257) }), "INVALID_ARGUMENT"],
        [memory.threads.create({ namespace: NS, metadata: [] as never }), "INVALID_ARGUMENT"],
        [memory.threads.create({ namespace: NS, createdAt: "never" }), "INVALID_ARGUMENT"],
        [memory.threads.create({ namespace: NS, extra: 1 } as never), "INVALID_ARGUMENT"],
        [memory.threads.list({ within: ["t"], limit: 0 }), "INVALID_ARGUMENT"],
        [memory.threads.get({ threadId: "x" } as never), "INVALID_ARGUMENT"],
      ];
      for (const [promise, code] of bad) await expectCode(promise, code);
      expect((await memory.threads.list({ within: ["t"] })).threads).toEqual([]);
    });
  });
}
