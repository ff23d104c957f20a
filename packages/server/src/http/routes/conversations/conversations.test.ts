import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../testing/test-server.js";

let server: TestServer;
let key: string;
let readOnly: string;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  key = await server.key(["acme"], ["read", "write"]);
  readOnly = await server.key(["acme"], ["read"]);
  admin = await server.key(["acme"], ["read", "write", "admin"]);
});
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown, as = key) =>
  server.request(method, path, { key: as, body });

describe("threads over REST", () => {
  it("creates, gets, updates, lists, clones and deletes a thread relative to the key's root", async () => {
    const created = await call("POST", "/v1/threads", {
      namespace: ["users", "alice"],
      id: "trip",
      title: "Trip planning",
      metadata: { channel: "web" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: "trip",
      namespace: ["users", "alice"],
      title: "Trip planning",
      metadata: { channel: "web" },
      messageCount: 0,
      summary: null,
    });
    const stored = await server.memory.threads.get({
      namespace: ["acme", "users", "alice"],
      threadId: "trip",
    });
    expect(stored?.title).toBe("Trip planning");

    const again = await call("POST", "/v1/threads", { namespace: ["users", "alice"], id: "trip" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("CONFLICT");

    const got = await call("GET", "/v1/threads/trip?namespace=users/alice");
    expect(got.status).toBe(200);
    expect(got.body.id).toBe("trip");
    expect((await call("GET", "/v1/threads/trip")).status).toBe(404);

    const patched = await call("PATCH", "/v1/threads/trip?namespace=users/alice", { title: null });
    expect(patched.status).toBe(200);
    expect(patched.body.title).toBeNull();

    await call("POST", "/v1/threads", {
      namespace: ["users", "bob"],
      metadata: { channel: "sms" },
    });
    const listed = await call("GET", "/v1/threads?within=users");
    expect(listed.status).toBe(200);
    expect(listed.body.threads).toHaveLength(2);
    const filtered = await call(
      "GET",
      `/v1/threads?within=users&metadata=${encodeURIComponent('{"channel":"web"}')}`,
    );
    expect(filtered.body.threads.map((thread: { id: string }) => thread.id)).toEqual(["trip"]);
    const badFilter = await call("GET", "/v1/threads?metadata=%7Bnope");
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.code).toBe("INVALID_ARGUMENT");

    await call("POST", "/v1/threads/trip/messages?namespace=users/alice", {
      messages: [
        { id: "m1", role: "user", content: "Book Lyon" },
        { id: "m2", role: "assistant", content: "Done" },
      ],
    });
    const cloned = await call("POST", "/v1/threads/trip/clone?namespace=users/alice", {
      to: { namespace: ["users", "carol"], id: "branch" },
      last: 1,
    });
    expect(cloned.status).toBe(201);
    expect(cloned.body).toMatchObject({ id: "branch", namespace: ["users", "carol"] });
    expect(cloned.body.messageCount).toBe(1);

    const deleted = await call("DELETE", "/v1/threads/trip?namespace=users/alice");
    expect(deleted).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await call("DELETE", "/v1/threads/trip?namespace=users/alice")).status).toBe(404);
  });

  it("needs the write scope to change threads and refuses bad input", async () => {
    const denied = await call("POST", "/v1/threads", { namespace: ["x"] }, readOnly);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe("FORBIDDEN");
    const unknownField = await call("POST", "/v1/threads", { namespace: ["x"], owner: "me" });
    expect(unknownField.status).toBe(400);
    const badNamespace = await call("GET", "/v1/threads/t?namespace=..%2Fother");
    expect(badNamespace.status).toBe(400);
    expect(badNamespace.body.code).toBe("INVALID_NAMESPACE");
  });
});

describe("messages over REST", () => {
  it("appends idempotently, reads windows, gets, updates and deletes messages", async () => {
    const path = "/v1/threads/chat/messages?namespace=users/dan";
    const messages = Array.from({ length: 6 }, (_, index) => ({
      id: `m${index}`,
      role: index % 2 === 0 ? "user" : "assistant",
      content: `message ${index}`,
      createdAt: 1_700_000_000_000 + index * 1000,
    }));
    const appended = await call("POST", path, { messages });
    expect(appended.status).toBe(201);
    expect(appended.body.messages).toHaveLength(6);
    expect(appended.body.messages[0]).toMatchObject({
      id: "m0",
      threadId: "chat",
      namespace: ["users", "dan"],
      role: "user",
      content: "message 0",
    });
    expect((await call("POST", path, { messages: messages.slice(0, 2) })).status).toBe(201);

    const last = await call("GET", `${path}&last=2`);
    expect(last.body.messages.map((m: { id: string }) => m.id)).toEqual(["m4", "m5"]);
    expect(last.body.previousCursor).toBe("m4");
    const before = await call("GET", `${path}&before=m4&limit=2`);
    expect(before.body.messages.map((m: { id: string }) => m.id)).toEqual(["m2", "m3"]);
    const after = await call("GET", `${path}&after=m3&roles=user`);
    expect(after.body.messages.map((m: { id: string }) => m.id)).toEqual(["m4"]);
    const range = await call(
      "GET",
      `${path}&from=${new Date(1_700_000_001_000).toISOString()}&to=${new Date(1_700_000_003_000).toISOString()}`,
    );
    expect(range.body.messages.map((m: { id: string }) => m.id)).toEqual(["m1", "m2"]);

    const one = await call("GET", "/v1/threads/chat/messages/m1?namespace=users/dan");
    expect(one.body).toMatchObject({ id: "m1", content: "message 1" });
    const edited = await call("PATCH", "/v1/threads/chat/messages/m1?namespace=users/dan", {
      content: [{ type: "text", text: "edited" }],
      metadata: { edited: true },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.content).toEqual([{ type: "text", text: "edited" }]);

    const removed = await call("DELETE", "/v1/threads/chat/messages/m1?namespace=users/dan");
    expect(removed.body).toEqual({ deleted: 1 });
    expect((await call("GET", "/v1/threads/chat/messages/m1?namespace=users/dan")).status).toBe(
      404,
    );
    const many = await call("POST", "/v1/threads/chat/messages/delete?namespace=users/dan", {
      ids: ["m2", "m3", "missing"],
    });
    expect(many.body).toEqual({ deleted: 2 });
  });

  it("rejects a bad batch whole", async () => {
    const path = "/v1/threads/strict/messages?namespace=users/erin";
    const bad = await call("POST", path, {
      messages: [
        { role: "user", content: "fine" },
        { role: "robot", content: "not a role" },
      ],
    });
    expect(bad.status).toBe(400);
    const window = await call("GET", path);
    expect(window.body.messages ?? []).toEqual([]);
    const missing = await call("POST", path, {
      messages: [{ role: "user", content: "x" }],
      createThread: false,
    });
    expect(missing.status).toBe(404);
  });
});

describe("working memory over REST", () => {
  it("gets, replaces, patches with a version check and deletes", async () => {
    expect((await call("GET", "/v1/working-memory?namespace=users/alice")).status).toBe(404);
    const set = await call("PUT", "/v1/working-memory", {
      namespace: ["users", "alice"],
      content: { diet: "vegetarian" },
      version: 0,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ content: { diet: "vegetarian" }, version: 1 });
    const patched = await call("PATCH", "/v1/working-memory", {
      namespace: ["users", "alice"],
      patch: { city: "Lyon" },
      version: 1,
    });
    expect(patched.body).toMatchObject({
      content: { diet: "vegetarian", city: "Lyon" },
      version: 2,
    });
    const stale = await call("PATCH", "/v1/working-memory", {
      namespace: ["users", "alice"],
      patch: { city: "Paris" },
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe("CONFLICT");
    const stored = await server.memory.workingMemory.get({ namespace: ["acme", "users", "alice"] });
    expect(stored?.content).toEqual({ diet: "vegetarian", city: "Lyon" });

    await call("POST", "/v1/threads", { namespace: ["users", "alice"], id: "t1" });
    const perThread = await call("PUT", "/v1/working-memory", {
      namespace: ["users", "alice"],
      threadId: "t1",
      content: "# Notes",
    });
    expect(perThread.body).toMatchObject({ content: "# Notes" });
    const read = await call("GET", "/v1/working-memory?namespace=users/alice&threadId=t1");
    expect(read.body.content).toBe("# Notes");
    const deleted = await call("DELETE", "/v1/working-memory?namespace=users/alice&threadId=t1");
    expect(deleted.body).toEqual({ deleted: true });
    expect((await call("GET", "/v1/working-memory?namespace=users/alice")).status).toBe(200);
  });
});

describe("ingest and context over REST", () => {
  it("ingests user messages by default, caller candidates on request, and records the source", async () => {
    const path = "/v1/threads/onboarding/messages?namespace=users/fay";
    await call("POST", path, {
      messages: [
        { id: "u1", role: "user", content: "I am allergic to peanuts" },
        { id: "a1", role: "assistant", content: "Noted" },
      ],
    });
    const first = await call("POST", "/v1/threads/onboarding/ingest?namespace=users/fay", {});
    expect(first.status).toBe(200);
    expect(first.body.messages).toBe(2);
    expect(first.body.decisions).toHaveLength(1);
    expect(first.body.decisions[0]).toMatchObject({ action: "add" });
    const again = await call("POST", "/v1/threads/onboarding/ingest?namespace=users/fay", {});
    expect(again.body).toMatchObject({ messages: 0, decisions: [], busy: false });

    const history = await call("GET", `/v1/memories/${first.body.decisions[0].memoryId}/history`);
    expect(history.body.entries[0].source).toEqual({
      namespace: ["users", "fay"],
      threadId: "onboarding",
      messageIds: ["u1"],
    });

    await call("POST", path, {
      messages: [{ id: "u2", role: "user", content: "My sister Ada lives in Oslo" }],
    });
    const proposed = await call("POST", "/v1/threads/onboarding/ingest?namespace=users/fay", {
      into: ["users", "fay", "facts"],
      candidates: [{ content: "Fay's sister Ada lives in Oslo", kind: "fact", messageIds: ["u2"] }],
    });
    expect(proposed.status).toBe(200);
    expect(proposed.body.decisions).toEqual([
      expect.objectContaining({
        action: "add",
        candidate: expect.objectContaining({ kind: "fact" }),
      }),
    ]);
    const memory = await call("GET", `/v1/memories/${proposed.body.decisions[0].memoryId}`);
    expect(memory.body).toMatchObject({ namespace: ["users", "fay", "facts"], kind: "fact" });

    const stray = await call("POST", path, {
      messages: [{ id: "u3", role: "user", content: "hi" }],
    });
    expect(stray.status).toBe(201);
    const refused = await call("POST", "/v1/threads/onboarding/ingest?namespace=users/fay", {
      candidates: [{ content: "made up", messageIds: ["not-in-thread"] }],
    });
    expect(refused.status).toBe(400);
    const missing = await call("POST", "/v1/threads/nothing/ingest?namespace=users/fay", {});
    expect(missing.status).toBe(404);
  });

  it("builds a context from a thread, its working memory and memories within the budget", async () => {
    await call("POST", "/v1/threads/dinner/messages?namespace=users/gus", {
      messages: [{ role: "user", content: "What should I cook tonight?" }],
    });
    await call("PUT", "/v1/working-memory", {
      namespace: ["users", "gus"],
      content: { diet: "vegan" },
    });
    await call("POST", "/v1/memories", {
      namespace: ["users", "gus"],
      content: "Gus likes to cook spicy food tonight and every night",
    });
    const block = await call("POST", "/v1/context", {
      namespace: ["users", "gus"],
      thread: { namespace: ["users", "gus"], threadId: "dinner" },
      workingMemory: true,
      maxTokens: 300,
    });
    expect(block.status).toBe(200);
    expect(block.body.tokens).toBeLessThanOrEqual(300);
    expect(block.body.text).toContain("vegan");
    expect(block.body.text).toContain("What should I cook tonight?");
    expect(block.body.workingMemory.content).toEqual({ diet: "vegan" });
    expect(block.body.messages[0]).toMatchObject({ namespace: ["users", "gus"], role: "user" });
    expect(block.body.memories[0].namespace).toEqual(["users", "gus"]);
    const noQuery = await call("POST", "/v1/context", { maxTokens: 100 });
    expect(noQuery.status).toBe(400);
  });
});

describe("erase over REST", () => {
  it("reports memories, threads, messages and working memories erased", async () => {
    await call("POST", "/v1/memories", { namespace: ["tmp", "a"], content: "temporary" });
    await call("POST", "/v1/threads/t/messages?namespace=tmp/a", {
      messages: [
        { role: "user", content: "one" },
        { role: "user", content: "two" },
      ],
    });
    await call("PUT", "/v1/working-memory", { namespace: ["tmp"], content: "notes" });
    const erased = await call("POST", "/v1/erase", { namespace: ["tmp"] }, admin);
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({
      deleted: 1,
      memories: 1,
      threads: 1,
      messages: 2,
      workingMemories: 1,
      attached: {},
    });
    expect((await call("GET", "/v1/threads/t?namespace=tmp/a")).status).toBe(404);
  });
});
