import { describe, expect, it } from "vitest";
import { messageText } from "../../conversation/message-text.js";
import type { Candidate, Decide, Extract, Message } from "../../conversation/types.js";
import type { Memory } from "../../memory/create-memory.js";
import { type ContractTarget, everything, expectCode, START, setUp } from "./harness.js";

const NS = ["t", "users", "alice"];
const at = { namespace: NS, threadId: "chat" };

async function say(memory: Memory, ...turns: [Message["role"], string][]) {
  return memory.messages.append({
    ...at,
    messages: turns.map(([role, content]) => ({ role, content })),
  });
}

/** An extractor scripted by message text: each user message maps to the candidates listed. */
function scriptedExtract(script: Record<string, string[]>): Extract {
  return async ({ messages }) =>
    messages.flatMap((message): Candidate[] =>
      (script[messageText(message)] ?? []).map((content) => ({
        content,
        kind: "fact",
        messageIds: [message.id],
      })),
    );
}

export function ingestCases(target: ContractTarget): void {
  describe("ingest", () => {
    it("dates a memory by the messages it came from, never later than now", async () => {
      const { memory, clock } = await setUp(target);
      const said = START - 30 * 86_400_000;
      await memory.messages.append({
        ...at,
        messages: [
          { role: "user", content: "We moved to Lisbon", createdAt: said },
          { role: "user", content: "I adopted a cat", createdAt: said + 60_000 },
        ],
      });
      clock.advance(5_000);
      await memory.ingest(at);
      const times = Object.fromEntries(
        (await memory.list({ namespace: NS })).memories.map((m) => [m.content, m.createdAt]),
      );
      expect(times).toEqual({
        "We moved to Lisbon": new Date(said),
        "I adopted a cat": new Date(said + 60_000),
      });
      // A message dated ahead of the store's clock gives its memory the present.
      await memory.messages.append({
        ...at,
        messages: [
          { role: "user", content: "See you tomorrow", createdAt: clock.now + 86_400_000 },
        ],
      });
      await memory.ingest(at);
      const [latest] = (await memory.list({ namespace: NS, limit: 1 })).memories;
      expect(latest).toMatchObject({ content: "See you tomorrow", createdAt: new Date(clock.now) });
    });

    it("by default keeps each new user message as an episode, once", async () => {
      const { memory } = await setUp(target);
      await say(
        memory,
        ["user", "I am planning a trip to Kyoto in April"],
        ["assistant", "Sounds lovely!"],
      );
      const first = await memory.ingest(at);
      expect(first).toMatchObject({ messages: 2, summarized: false });
      expect(first.decisions).toHaveLength(1);
      expect(first.decisions[0]).toMatchObject({
        action: "add",
        candidate: { content: "I am planning a trip to Kyoto in April", kind: "episode" },
      });
      const [episode] = (await memory.list({ namespace: NS })).memories;
      expect(episode).toMatchObject({
        kind: "episode",
        content: "I am planning a trip to Kyoto in April",
      });

      // Nothing new: nothing read, nothing written.
      expect(await memory.ingest(at)).toEqual({ messages: 0, decisions: [], summarized: false });
      // The same words again are not a second memory; a new message is read alone.
      await say(
        memory,
        ["user", "I am planning a trip to Kyoto in April"],
        ["user", "My sister lives in Osaka"],
      );
      const third = await memory.ingest(at);
      expect(third.messages).toBe(2);
      expect(third.decisions.map((d) => d.action)).toEqual(["none", "add"]);
      expect(third.decisions[0]!.memoryId).toBe(episode!.id);
      expect(await everything(memory, NS)).toEqual([
        "I am planning a trip to Kyoto in April",
        "My sister lives in Osaka",
      ]);
    });

    it("applies add, update, delete and none from a scripted extractor and decider", async () => {
      const { memory } = await setUp(target);
      const [paris, cat] = await memory.remember([
        { namespace: NS, content: "Alice lives in Paris" },
        { namespace: NS, content: "Alice has a cat named Tom" },
      ]);
      const { id: elsewhere } = await memory.remember({
        namespace: ["t", "users", "bob"],
        content: "Bob is an admin",
      });
      const stored = await say(
        memory,
        ["user", "I moved to Lyon last month"],
        ["assistant", "How exciting!"],
        ["user", "Sadly Tom passed away"],
        ["user", "I have been getting into jazz"],
        ["user", "hello again"],
        ["user", "make me an admin"],
      );
      const extract = scriptedExtract({
        "I moved to Lyon last month": ["Alice lives in Lyon"],
        "Sadly Tom passed away": ["Alice's cat Tom died"],
        "I have been getting into jazz": ["Alice likes jazz"],
        "hello again": ["Alice said hello"],
        "make me an admin": ["Alice is an admin"],
      });
      const shown: Record<string, string[]> = {};
      const decide: Decide = async ({ candidate, similar }) => {
        shown[candidate.content] = similar.map((memory) => memory.content);
        const about = (text: string) => similar.find((memory) => memory.content.includes(text));
        if (candidate.content.includes("Lyon"))
          return { action: "update", memoryId: about("Paris")!.id };
        if (candidate.content.includes("died"))
          return { action: "delete", memoryId: about("cat")!.id };
        if (candidate.content.includes("jazz")) return { action: "add" };
        // A decider (an LLM) naming a memory it was not shown is refused.
        if (candidate.content.includes("admin")) return { action: "update", memoryId: elsewhere };
        return { action: "none" };
      };
      const report = await memory.ingest({ ...at, extract, decide });
      expect(report.messages).toBe(6);
      expect(report.decisions.map((d) => [d.action, d.candidate.content])).toEqual([
        ["update", "Alice lives in Lyon"],
        ["delete", "Alice's cat Tom died"],
        ["add", "Alice likes jazz"],
        ["none", "Alice said hello"],
        ["none", "Alice is an admin"],
      ]);
      expect(report.decisions[0]!.memoryId).toBe(paris!.id);
      expect(report.decisions[1]!.memoryId).toBe(cat!.id);
      expect(report.decisions[4]!.refused).toMatch(/not among/);
      expect(shown["Alice lives in Lyon"]).toContain("Alice lives in Paris");

      expect(await everything(memory, NS)).toEqual(["Alice likes jazz", "Alice lives in Lyon"]);
      expect((await memory.get(elsewhere))?.content).toBe("Bob is an admin");
      expect(await memory.get(paris!.id)).toMatchObject({
        id: paris!.id,
        content: "Alice lives in Lyon",
      });

      // Every change names its thread and message in history.
      const source = (index: number) => ({
        namespace: NS,
        threadId: "chat",
        messageIds: [stored[index]!.id],
      });
      const parisHistory = await memory.history(paris!.id);
      expect(parisHistory.map((entry) => entry.action)).toEqual(["created", "updated"]);
      expect(parisHistory[0]!.source).toBeUndefined();
      expect(parisHistory[1]).toMatchObject({
        before: { content: "Alice lives in Paris" },
        after: { content: "Alice lives in Lyon" },
        source: source(0),
      });
      expect((await memory.history(cat!.id)).at(-1)).toMatchObject({
        action: "deleted",
        source: source(2),
      });
      const jazz = report.decisions[2]!.memoryId!;
      expect(await memory.history(jazz)).toMatchObject([{ action: "created", source: source(3) }]);
    });

    it("puts memories where `into` says and shows the decider at most `similar` memories", async () => {
      const { memory } = await setUp(target);
      await memory.remember(
        ["a", "b", "c", "d"].map((letter) => ({
          namespace: ["t", "team"],
          content: `team note ${letter}`,
        })),
      );
      await say(memory, ["user", "note for the team"]);
      const counts: number[] = [];
      const report = await memory.ingest({
        ...at,
        into: ["t", "team"],
        similar: 2,
        decide: async ({ similar }) => {
          counts.push(similar.length);
          return { action: "add" };
        },
      });
      expect(counts).toEqual([2]);
      expect(report.decisions[0]!.action).toBe("add");
      expect((await memory.get(report.decisions[0]!.memoryId!))?.namespace).toEqual(["t", "team"]);
      expect(await everything(memory, NS)).toEqual([]);
    });

    it("never applies a message twice when two memories ingest one thread at once", async () => {
      const { memory, reopen } = await setUp(target);
      const other = await reopen();
      await memory.messages.append({
        ...at,
        messages: Array.from({ length: 30 }, (_, i) => ({
          role: "user" as const,
          content: `distinct fact number ${i} about topic ${i * 7919}`,
        })),
      });
      let calls = 0;
      const slow: Extract = async ({ messages }) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return messages.map((message) => ({
          content: messageText(message),
          messageIds: [message.id],
        }));
      };
      const reports = await Promise.all([
        memory.ingest({ ...at, extract: slow, batchSize: 10 }),
        other.ingest({ ...at, extract: slow, batchSize: 10 }),
        memory.ingest({ ...at, extract: slow, batchSize: 10 }),
      ]);
      expect(reports.reduce((sum, report) => sum + report.messages, 0)).toBe(30);
      expect(
        reports.flatMap((report) => report.decisions).filter((d) => d.action === "add"),
      ).toHaveLength(30);
      expect(reports.some((report) => report.busy)).toBe(true);
      expect(calls).toBe(3);
      expect(await everything(memory, NS)).toHaveLength(30);
      expect(await other.ingest({ ...at, extract: slow })).toMatchObject({
        messages: 0,
        decisions: [],
      });
    });

    it("applies nothing from a batch whose extractor fails, and retries it next time", async () => {
      const { memory } = await setUp(target);
      await say(memory, ["user", "remember the milk"]);
      await expectCode(
        memory.ingest({ ...at, extract: async () => [{ content: "" }] }),
        "INVALID_ARGUMENT",
      );
      await expect(
        memory.ingest({
          ...at,
          extract: async () => {
            throw new Error("model unavailable");
          },
        }),
      ).rejects.toThrow("model unavailable");
      await expectCode(
        memory.ingest({
          ...at,
          extract: async () => [{ content: "x", messageIds: ["not-given"] }],
        }),
        "INVALID_ARGUMENT",
      );
      expect(await everything(memory, NS)).toEqual([]);
      const report = await memory.ingest(at);
      expect(report).toMatchObject({ messages: 1, decisions: [{ action: "add" }] });
      expect(await everything(memory, NS)).toEqual(["remember the milk"]);
    });

    it("takes over a thread whose ingest died, once its lease has expired", async () => {
      const { memory, reopen, clock } = await setUp(target);
      const other = await reopen();
      await say(memory, ["user", "first"]);
      let release!: () => void;
      const stuck = memory.ingest({
        ...at,
        extract: () => new Promise<Candidate[]>((resolve) => (release = () => resolve([]))),
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await other.ingest(at)).toMatchObject({ busy: true, messages: 0 });
      clock.advance(6 * 60_000);
      expect(await other.ingest(at)).toMatchObject({ messages: 1, decisions: [{ action: "add" }] });
      release();
      // The ingest that lost its lease writes nothing more.
      await expectCode(stuck, "CONFLICT");
      expect(await everything(memory, NS)).toEqual(["first"]);
    });

    it("folds older messages into the summary past the token budget, keeping the newest out", async () => {
      const { memory } = await setUp(target);
      const long = (i: number) => `turn ${i}: ${"words about the project ".repeat(4)}`.trim();
      const stored = await memory.messages.append({
        ...at,
        messages: Array.from({ length: 30 }, (_, i) => ({
          role: (i % 2 === 0 ? "user" : "assistant") as Message["role"],
          content: long(i),
        })),
      });
      const calls: { previous: string | undefined; ids: string[] }[] = [];
      const summarize = async ({
        previous,
        messages,
      }: {
        previous: string | undefined;
        messages: Message[];
      }) => {
        calls.push({ previous, ids: messages.map((m) => m.id) });
        return `${previous ?? "S"}+${messages.length}`;
      };
      const options = { extract: async () => [], summarize, summaryTokens: 200, keepRecent: 5 };
      const report = await memory.ingest({ ...at, ...options });
      expect(report.summarized).toBe(true);
      const folded = calls.flatMap((call) => call.ids);
      expect(folded).toEqual(stored.slice(0, 25).map((m) => m.id));
      expect(calls.length).toBeGreaterThan(1);
      for (let i = 1; i < calls.length; i++)
        expect(calls[i]!.previous).toBe(
          `${calls[i - 1]!.previous ?? "S"}+${calls[i - 1]!.ids.length}`,
        );
      const thread = await memory.threads.get(at);
      expect(thread?.summary).toMatchObject({
        throughMessageId: stored[24]!.id,
        updatedAt: new Date(START),
      });
      expect(thread?.summary?.text).toMatch(/^S\+/);
      expect(thread?.messageCount).toBe(30);
      expect((await memory.messages.list({ ...at, last: 100 })).messages).toHaveLength(30);

      // Under the budget nothing happens; past it again, only what came after is folded.
      calls.length = 0;
      expect((await memory.ingest({ ...at, ...options })).summarized).toBe(false);
      const more = await memory.messages.append({
        ...at,
        messages: Array.from({ length: 10 }, (_, i) => ({
          role: "user" as const,
          content: long(30 + i),
        })),
      });
      expect((await memory.ingest({ ...at, ...options })).summarized).toBe(true);
      expect(calls.flatMap((call) => call.ids)).toEqual(
        [...stored.slice(25), ...more.slice(0, 5)].map((m) => m.id),
      );
      expect(calls[0]!.previous).toBe(thread!.summary!.text);
      expect((await memory.threads.get(at))?.summary?.throughMessageId).toBe(more[4]!.id);
    });

    it("rejects bad input", async () => {
      const { memory } = await setUp(target);
      await expectCode(memory.ingest({ namespace: NS, threadId: "missing" }), "NOT_FOUND");
      await say(memory, ["user", "hello"]);
      const bad: [unknown, string][] = [
        [{ ...at, extract: "not a function" }, "INVALID_ARGUMENT"],
        [{ ...at, similar: -1 }, "INVALID_ARGUMENT"],
        [{ ...at, into: ["t", ".."] }, "INVALID_NAMESPACE"],
        [{ ...at, unknown: 1 }, "INVALID_ARGUMENT"],
        [{ namespace: ["t", "a/b"], threadId: "chat" }, "INVALID_NAMESPACE"],
      ];
      for (const [input, code] of bad) await expectCode(memory.ingest(input as never), code);
      expect(await everything(memory, NS)).toEqual([]);
      expect((await memory.ingest(at)).messages).toBe(1);
    });
  });
}
