import { randomUUID } from "node:crypto";
import { fromEmbeddingModel } from "@engram/core";
import type { MastraDBMessage, StorageThreadType } from "@mastra/core/memory";
import { InMemoryStore, type MastraCompositeStore, type MemoryStorage } from "@mastra/core/storage";
import { afterEach, describe, expect, it } from "vitest";
import { EngramStore } from "../src/index.js";
import { backends, type TestMemory } from "./backends.js";
import { testEmbeddingModel } from "./embedding-model.js";

/**
 * Mastra's memory domain as Mastra documents it, written once and run on EngramStore over each
 * backend and on Mastra's own InMemoryStore: the reference passing the same cases is what shows
 * they describe Mastra's behaviour, not ours.
 */
const targets: {
  name: string;
  open(): Promise<{ store: MastraCompositeStore; cleanup(): Promise<void> }>;
}[] = [
  ...backends.map((backend) => ({
    name: `EngramStore on ${backend.name}`,
    async open() {
      const opened: TestMemory = await backend.open(fromEmbeddingModel(testEmbeddingModel()));
      return { store: new EngramStore({ memory: opened.memory }), cleanup: opened.cleanup };
    },
  })),
  {
    name: "Mastra InMemoryStore (reference)",
    async open() {
      return { store: new InMemoryStore(), cleanup: async () => undefined };
    },
  },
];

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

function thread(
  resourceId: string,
  id: string = randomUUID(),
  extra: Partial<StorageThreadType> = {},
): StorageThreadType {
  return {
    id,
    resourceId,
    title: `thread ${id}`,
    metadata: {},
    createdAt: at(0),
    updatedAt: at(0),
    ...extra,
  };
}

function message(
  threadId: string,
  resourceId: string,
  text: string,
  minute: number,
  id: string = randomUUID(),
): MastraDBMessage {
  return {
    id,
    threadId,
    resourceId,
    role: minute % 2 === 0 ? "user" : "assistant",
    createdAt: at(minute),
    content: { format: 2, parts: [{ type: "text", text }], content: text },
  };
}

const texts = (messages: MastraDBMessage[]) =>
  messages.map((each) => (each.content.parts[0] as { text: string }).text);

describe.each(targets)("Mastra memory domain: $name", (target) => {
  let storage: MemoryStorage;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
  const open = async () => {
    const opened = await target.open();
    cleanup = opened.cleanup;
    await opened.store.init();
    storage = (await opened.store.getStore("memory"))!;
    return storage;
  };

  it("saves, gets, updates and deletes a thread; getThreadById honours resourceId", async () => {
    await open();
    const saved = thread("alice", "t1", { metadata: { topic: "trip" } });
    await storage.saveThread({ thread: saved });
    const got = await storage.getThreadById({ threadId: "t1" });
    expect(got).toMatchObject({
      id: "t1",
      resourceId: "alice",
      title: "thread t1",
      metadata: { topic: "trip" },
    });
    expect(await storage.getThreadById({ threadId: "t1", resourceId: "bob" })).toBeNull();
    expect(await storage.getThreadById({ threadId: "missing" })).toBeNull();

    const updated = await storage.updateThread({ id: "t1", title: "Kyoto", metadata: { days: 5 } });
    expect(updated).toMatchObject({ title: "Kyoto", metadata: { topic: "trip", days: 5 } });
    await expect(storage.updateThread({ id: "missing", title: "x" })).rejects.toThrow();

    await storage.saveMessages({ messages: [message("t1", "alice", "hello", 1)] });
    await storage.deleteThread({ threadId: "t1" });
    expect(await storage.getThreadById({ threadId: "t1" })).toBeNull();
    expect((await storage.listMessages({ threadId: "t1" })).messages).toEqual([]);
  });

  it("lists threads of a resource with pagination, order and metadata filters", async () => {
    await open();
    for (let i = 0; i < 5; i++) {
      await storage.saveThread({
        thread: thread("alice", `a${i}`, {
          createdAt: at(i),
          updatedAt: at(i),
          metadata: { even: i % 2 === 0 },
        }),
      });
    }
    await storage.saveThread({ thread: thread("bob", "b0") });
    const first = await storage.listThreads({
      filter: { resourceId: "alice" },
      perPage: 2,
      page: 0,
      orderBy: { field: "createdAt", direction: "ASC" },
    });
    expect(first.threads.map((each) => each.id)).toEqual(["a0", "a1"]);
    expect(first).toMatchObject({ total: 5, page: 0, perPage: 2, hasMore: true });
    const last = await storage.listThreads({
      filter: { resourceId: "alice" },
      perPage: 2,
      page: 2,
      orderBy: { field: "createdAt", direction: "ASC" },
    });
    expect(last.threads.map((each) => each.id)).toEqual(["a4"]);
    expect(last.hasMore).toBe(false);
    const newest = await storage.listThreads({
      filter: { resourceId: "alice" },
      perPage: false,
      orderBy: { field: "createdAt", direction: "DESC" },
    });
    expect(newest.threads.map((each) => each.id)).toEqual(["a4", "a3", "a2", "a1", "a0"]);
    const even = await storage.listThreads({
      filter: { resourceId: "alice", metadata: { even: true } },
    });
    expect(even.threads.map((each) => each.id).sort()).toEqual(["a0", "a2", "a4"]);
    const everyone = await storage.listThreads({ perPage: false });
    expect(everyone.total).toBe(6);
  });

  it("saves and lists messages: order, pagination, date ranges, resource scope", async () => {
    await open();
    await storage.saveThread({ thread: thread("alice", "t1") });
    const messages = [0, 1, 2, 3, 4, 5].map((minute) =>
      message("t1", "alice", `m${minute}`, minute),
    );
    await storage.saveMessages({ messages: [...messages].reverse() });

    const all = await storage.listMessages({ threadId: "t1", perPage: false });
    expect(texts(all.messages)).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
    expect(all).toMatchObject({ total: 6, hasMore: false });

    const newestTwo = await storage.listMessages({
      threadId: "t1",
      perPage: 2,
      page: 0,
      orderBy: { field: "createdAt", direction: "DESC" },
    });
    expect(texts(newestTwo.messages)).toEqual(["m5", "m4"]);
    expect(newestTwo).toMatchObject({ total: 6, perPage: 2, hasMore: true });
    const page2 = await storage.listMessages({ threadId: "t1", perPage: 4, page: 1 });
    expect(texts(page2.messages)).toEqual(["m4", "m5"]);

    const range = await storage.listMessages({
      threadId: "t1",
      filter: { dateRange: { start: at(1), end: at(3) } },
    });
    expect(texts(range.messages)).toEqual(["m1", "m2", "m3"]);
    const exclusive = await storage.listMessages({
      threadId: "t1",
      filter: { dateRange: { start: at(1), end: at(3), startExclusive: true, endExclusive: true } },
    });
    expect(texts(exclusive.messages)).toEqual(["m2"]);
    expect((await storage.listMessages({ threadId: "t1", resourceId: "bob" })).messages).toEqual(
      [],
    );
    await expect(storage.listMessages({ threadId: "" })).rejects.toThrow();
  });

  it("includes messages with their neighbours, across threads of the resource", async () => {
    await open();
    await storage.saveThread({ thread: thread("alice", "t1") });
    await storage.saveThread({ thread: thread("alice", "t2") });
    const first = [0, 1, 2, 3, 4].map((minute) =>
      message("t1", "alice", `a${minute}`, minute, `a${minute}`),
    );
    await storage.saveMessages({ messages: first });
    await storage.saveMessages({ messages: [message("t2", "alice", "b10", 10)] });
    const result = await storage.listMessages({
      threadId: "t2",
      resourceId: "alice",
      perPage: 10,
      include: [{ id: "a2", threadId: "t1", withPreviousMessages: 1, withNextMessages: 1 }],
    });
    expect(texts(result.messages)).toEqual(["a1", "a2", "a3", "b10"]);
    const elsewhere = await storage.listMessages({
      threadId: "t2",
      resourceId: "bob",
      include: [{ id: "a2", threadId: "t1", withPreviousMessages: 1 }],
    });
    expect(elsewhere.messages).toEqual([]);
  });

  it("upserts messages by id, updates them partially, lists by id and deletes them", async () => {
    await open();
    await storage.saveThread({ thread: thread("alice", "t1") });
    await storage.saveThread({ thread: thread("alice", "t2") });
    await storage.saveMessages({
      messages: [message("t1", "alice", "draft", 0, "m1"), message("t1", "alice", "two", 1, "m2")],
    });
    await storage.saveMessages({ messages: [message("t1", "alice", "final", 0, "m1")] });
    expect(texts((await storage.listMessages({ threadId: "t1" })).messages)).toEqual([
      "final",
      "two",
    ]);

    const [updated] = await storage.updateMessages({
      messages: [{ id: "m2", content: { metadata: { rating: 5 } } as never }],
    });
    expect(updated?.content.metadata).toEqual({ rating: 5 });
    expect(texts([updated!])).toEqual(["two"]);
    await storage.updateMessages({ messages: [{ id: "m2", threadId: "t2" }] });
    expect(texts((await storage.listMessages({ threadId: "t2" })).messages)).toEqual(["two"]);
    expect(texts((await storage.listMessages({ threadId: "t1" })).messages)).toEqual(["final"]);

    const byId = await storage.listMessagesById({ messageIds: ["m2", "m1", "nope"] });
    expect(byId.messages.map((each) => each.id)).toEqual(["m1", "m2"]);
    expect(byId.messages[1]).toMatchObject({
      threadId: "t2",
      resourceId: "alice",
      role: "assistant",
    });
    await storage.deleteMessages(["m1"]);
    expect((await storage.listMessages({ threadId: "t1" })).messages).toEqual([]);
  });

  it("keeps a resource's working memory and metadata", async () => {
    await open();
    expect(await storage.getResourceById({ resourceId: "alice" })).toBeNull();
    await storage.updateResource({ resourceId: "alice", workingMemory: "# Alice\n- vegetarian" });
    await storage.updateResource({ resourceId: "alice", metadata: { plan: "pro" } });
    const resource = await storage.getResourceById({ resourceId: "alice" });
    expect(resource).toMatchObject({
      id: "alice",
      workingMemory: "# Alice\n- vegetarian",
      metadata: { plan: "pro" },
    });
    expect(resource?.createdAt).toBeInstanceOf(Date);
    expect(await storage.getResourceById({ resourceId: "bob" })).toBeNull();
    const saved = await storage.saveResource({
      resource: {
        id: "bob",
        workingMemory: "bob's notes",
        metadata: {},
        createdAt: at(0),
        updatedAt: at(0),
      },
    });
    expect(saved.id).toBe("bob");
    expect((await storage.getResourceById({ resourceId: "bob" }))?.workingMemory).toBe(
      "bob's notes",
    );
  });

  it("clones a thread with a message limit and a new resource", async () => {
    await open();
    await storage.saveThread({ thread: thread("alice", "t1", { title: "Trip" }) });
    await storage.saveMessages({
      messages: [0, 1, 2, 3].map((minute) => message("t1", "alice", `m${minute}`, minute)),
    });
    const clone = await storage.cloneThread({
      sourceThreadId: "t1",
      newThreadId: "copy",
      resourceId: "bob",
      options: { messageLimit: 2 },
    });
    expect(clone.thread).toMatchObject({ id: "copy", resourceId: "bob", title: "Clone of Trip" });
    expect(clone.thread.metadata?.clone).toMatchObject({ sourceThreadId: "t1" });
    expect(texts(clone.clonedMessages)).toEqual(["m2", "m3"]);
    expect(texts((await storage.listMessages({ threadId: "copy" })).messages)).toEqual([
      "m2",
      "m3",
    ]);
    await expect(
      storage.cloneThread({ sourceThreadId: "t1", newThreadId: "copy" }),
    ).rejects.toThrow();
    await expect(storage.cloneThread({ sourceThreadId: "missing" })).rejects.toThrow();
  });
});
