import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, connectMcpOverHttp } from "../testing/mcp-client.js";
import { rawRequest, startTestServer, type TestServer } from "../testing/test-server.js";
import { confineMemory } from "./confine-memory.js";
import { localPrincipal } from "./principal.js";

// Tenant A holds keys; tenant B's memories are written straight through core. Every attack
// below is made with A's keys and must leave B's memories unseen and unchanged.
let server: TestServer;
let keyA: string;
let adminA: string;
let prefixKey: string;
let mcp: Client;
let idB: string;
let snapshotB: string;

const B_ROOT = ["tenantB"];

const B_THREAD = { namespace: ["tenantB", "users", "bob"], threadId: "secret-thread" };

/** Everything tenant B holds: memories, threads, messages and working memories. */
async function listB(): Promise<string> {
  const page = await server.memory.list({ within: B_ROOT, limit: 1000 });
  const threads = await server.memory.threads.list({ within: B_ROOT, limit: 1000 });
  const messages = await server.memory.messages.list({ ...B_THREAD, last: 1000 });
  const working = await Promise.all([
    server.memory.workingMemory.get({ namespace: B_ROOT }),
    server.memory.workingMemory.get(B_THREAD),
  ]);
  return JSON.stringify([page.memories, threads.threads, messages.messages, working]);
}

beforeAll(async () => {
  server = await startTestServer();
  keyA = await server.key(["tenantA"], ["read", "write"]);
  adminA = await server.key(["tenantA"], ["read", "write", "admin"]);
  // A root that is a string prefix of B's, to catch prefix matching done on strings.
  prefixKey = await server.key(["tenant"], ["read", "write", "admin"]);
  const [secret] = await server.memory.remember([
    {
      namespace: ["tenantB", "users", "bob"],
      content: "Bob's secret launch code is 4242",
      key: "launch",
      metadata: { tenant: "tenantB", namespace: ["tenantB"] },
      tags: ["secret"],
    },
    { namespace: ["tenantB"], content: "tenantB database password hunter2", tags: ["secret"] },
  ]);
  idB = secret!.id;
  await server.memory.threads.create({
    namespace: B_THREAD.namespace,
    id: B_THREAD.threadId,
    metadata: { tenant: "tenantB" },
  });
  await server.memory.messages.append({
    ...B_THREAD,
    messages: [
      { id: "b1", role: "user", content: "Bob's launch code is 4242" },
      { id: "b2", role: "assistant", content: "Stored the launch code" },
    ],
  });
  await server.memory.workingMemory.replace({ namespace: B_ROOT, content: { db: "hunter2" } });
  await server.memory.workingMemory.replace({ ...B_THREAD, content: "4242 notes" });
  // A thread of A's own, to aim B's message ids at.
  await server.request("POST", "/v1/threads/own/messages?namespace=users/alice", {
    key: keyA,
    body: { messages: [{ id: "a1", role: "user", content: "Alice's launch notes" }] },
  });
  await server.request("POST", "/v1/memories", {
    key: keyA,
    body: { namespace: ["users", "alice"], content: "Alice's launch notes", tags: ["secret"] },
  });
  snapshotB = await listB();
  mcp = await connectMcpOverHttp(server.url, keyA);
});

afterAll(async () => {
  await mcp.close();
  await server.close();
});

// Errors may echo what the attacker sent (a namespace naming tenantB); a leak is B's data.
const leaks = (body: unknown) =>
  JSON.stringify(body).match(/4242|hunter2|Bob's|\["tenantB","users","bob"\]/);

type Attack = [
  name: string,
  run: () => Promise<{ status: number; body: unknown }>,
  expected: number[],
];

const get = (path: string, key = keyA) => server.request("GET", path, { key });
const post = (path: string, body: unknown, key = keyA) =>
  server.request("POST", path, { key, body });

const send = (method: string, path: string, body?: unknown, key = keyA) =>
  server.request(method, path, { key, body });

// B's thread lives at tenantB/users/bob; for A that path names tenantA/tenantB/users/bob.
const B_PATH = "/v1/threads/secret-thread";
const B_AT = "namespace=tenantB%2Fusers%2Fbob";

const conversationAttacks: Attack[] = [
  ["get B's thread by its path", () => get(`${B_PATH}?${B_AT}`), [404]],
  ["get B's thread at A's root", () => get(B_PATH), [404]],
  ["get B's thread through ..", () => get(`${B_PATH}?namespace=..%2FtenantB%2Fusers%2Fbob`), [400]],
  ["get B's thread through %2E%2E", () => get(`${B_PATH}?namespace=%252E%252E%252FtenantB`), [400]],
  ["list threads within ../tenantB", () => get("/v1/threads?within=..%2FtenantB"), [400]],
  ["list threads on A's whole root", () => get("/v1/threads"), [200]],
  [
    "list threads by B's metadata",
    () => get(`/v1/threads?metadata=${encodeURIComponent('{"tenant":"tenantB"}')}`),
    [200],
  ],
  ["patch B's thread", () => send("PATCH", `${B_PATH}?${B_AT}`, { title: "pwned" }), [404]],
  ["delete B's thread", () => send("DELETE", `${B_PATH}?${B_AT}`), [404]],
  ["clone B's thread", () => send("POST", `${B_PATH}/clone?${B_AT}`, {}), [404]],
  [
    "clone A's thread into ../tenantB",
    () =>
      send("POST", "/v1/threads/own/clone?namespace=users%2Falice", {
        to: { namespace: ["..", "tenantB"], id: "stolen" },
      }),
    [400],
  ],
  ["read B's messages", () => get(`${B_PATH}/messages?${B_AT}&last=100`), [200, 404]],
  ["read B's messages through ..", () => get(`${B_PATH}/messages?namespace=..%2FtenantB`), [400]],
  ["get B's message by id", () => get(`${B_PATH}/messages/b1?${B_AT}`), [404]],
  [
    "get B's message id in A's thread",
    () => get("/v1/threads/own/messages/b1?namespace=users%2Falice"),
    [404],
  ],
  [
    "patch B's message",
    () => send("PATCH", `${B_PATH}/messages/b1?${B_AT}`, { content: "pwned" }),
    [404],
  ],
  ["delete B's message", () => send("DELETE", `${B_PATH}/messages/b1?${B_AT}`), [404]],
  [
    "delete B's messages by list",
    () => send("POST", `${B_PATH}/messages/delete?${B_AT}`, { ids: ["b1", "b2"] }),
    [200],
  ],
  [
    "append to B's thread that must exist",
    () =>
      send("POST", `${B_PATH}/messages?${B_AT}`, {
        messages: [{ role: "user", content: "pwned" }],
        createThread: false,
      }),
    [404],
  ],
  [
    "append to B's thread through ..",
    () =>
      send("POST", `${B_PATH}/messages?namespace=..%2FtenantB%2Fusers%2Fbob`, {
        messages: [{ role: "user", content: "pwned" }],
      }),
    [400],
  ],
  ["B's working memory", () => get("/v1/working-memory?namespace=tenantB"), [404]],
  [
    "B's thread working memory",
    () => get(`/v1/working-memory?${B_AT}&threadId=secret-thread`),
    [404],
  ],
  ["working memory through ..", () => get("/v1/working-memory?namespace=..%2FtenantB"), [400]],
  [
    "replace working memory through ..",
    () => send("PUT", "/v1/working-memory", { namespace: ["..", "tenantB"], content: "pwned" }),
    [400],
  ],
  [
    "patch B's thread working memory",
    () =>
      send("PATCH", "/v1/working-memory", {
        namespace: ["tenantB", "users", "bob"],
        threadId: "secret-thread",
        patch: { pwned: true },
      }),
    [404],
  ],
  [
    "delete B's working memory",
    () => send("DELETE", "/v1/working-memory?namespace=tenantB"),
    [404],
  ],
  ["ingest B's thread", () => send("POST", `${B_PATH}/ingest?${B_AT}`, {}), [404]],
  [
    "ingest A's thread into ../tenantB",
    () =>
      send("POST", "/v1/threads/own/ingest?namespace=users%2Falice", { into: ["..", "tenantB"] }),
    [400],
  ],
  [
    "context of B's thread through ..",
    () =>
      post("/v1/context", {
        maxTokens: 500,
        thread: { namespace: ["..", "tenantB", "users", "bob"], threadId: "secret-thread" },
      }),
    [400],
  ],
  [
    "context of B's thread by its path",
    () =>
      post("/v1/context", {
        maxTokens: 500,
        query: "launch code",
        thread: B_THREAD,
        workingMemory: "thread",
      }),
    [200],
  ],
  [
    "prefix-root key gets B's thread",
    () => get("/v1/threads/secret-thread?namespace=B%2Fusers%2Fbob", prefixKey),
    [404],
  ],
  ["prefix-root key lists threads", () => get("/v1/threads", prefixKey), [200]],
];

const attacks: Attack[] = [
  ...conversationAttacks,
  ["get B's id", () => get(`/v1/memories/${idB}`), [404]],
  ["history of B's id", () => get(`/v1/memories/${idB}/history`), [404]],
  [
    "patch B's id",
    () => server.request("PATCH", `/v1/memories/${idB}`, { key: keyA, body: { content: "pwned" } }),
    [404],
  ],
  ["delete B's id", () => server.request("DELETE", `/v1/memories/${idB}`, { key: keyA }), [404]],
  ["forget B's id by list", () => post("/v1/forget", { ids: [idB] }), [200]],
  [
    "search with a .. segment",
    () => post("/v1/search", { query: "launch", namespace: ["..", "tenantB"] }),
    [400],
  ],
  [
    "search within ../..",
    () => post("/v1/search", { query: "launch", within: ["..", ".."] }),
    [400],
  ],
  ["list within ../tenantB", () => get("/v1/memories?within=../tenantB"), [400]],
  ["list within %2E%2E%2FtenantB", () => get("/v1/memories?within=%2E%2E%2FtenantB"), [400]],
  [
    "list namespace ..%2FtenantB%2Fusers",
    () => get("/v1/memories?namespace=..%2FtenantB%2Fusers"),
    [400],
  ],
  ["list within %252E%252E", () => get("/v1/memories?within=%252E%252E%252FtenantB"), [400]],
  ["id path with encoded traversal", () => get("/v1/memories/..%2F..%2Fv1%2Fmemories"), [404]],
  ["id path with dot segments", () => get(`/v1/memories/../memories/${idB}`), [404]],
  [
    "remember into /tenantB",
    () => post("/v1/memories", { namespace: ["/tenantB"], content: "x" }),
    [400],
  ],
  ["remember into ..", () => post("/v1/memories", { namespace: [".."], content: "x" }), [400]],
  [
    "remember with empty segment",
    () => post("/v1/memories", { namespace: ["", "tenantB"], content: "x" }),
    [400],
  ],
  [
    "tag-query metacharacters in a namespace",
    () => post("/v1/search", { query: "launch", namespace: ["a}|@ns:{tenantB*"] }),
    [400],
  ],
  [
    "tag-query metacharacters in tags",
    () => post("/v1/search", { query: "launch", tags: ["a}|@ns:{tenantB*"] }),
    [400],
  ],
  [
    "tag-query metacharacters in the query",
    () => post("/v1/search", { query: "a}|@ns:{tenantB*} launch" }),
    [200],
  ],
  [
    "metadata filter naming B",
    () => post("/v1/search", { query: "launch code", metadata: { tenant: "tenantB" } }),
    [200],
  ],
  [
    "metadata key with metacharacters",
    () => post("/v1/search", { query: "x", metadata: { "ns}|@ns:{*": "tenantB" } }),
    [400],
  ],
  ["erase ..", () => post("/v1/erase", { namespace: [".."] }, adminA), [400]],
  ["erase with a separator", () => post("/v1/erase", { namespace: ["../tenantB"] }, adminA), [400]],
  ["forget within ..", () => post("/v1/forget", { within: [".."] }), [400]],
  [
    "prune within ../tenantB",
    () => post("/v1/prune", { within: ["../tenantB"], capacity: 1 }, adminA),
    [400],
  ],
  [
    "prune B's namespace by name",
    () =>
      post(
        "/v1/prune",
        { within: [["tenantB"], ["tenantB", "users", "bob"]], capacity: 1 },
        adminA,
      ),
    [200],
  ],
  ["prefix-root key prunes its root", () => post("/v1/prune", { capacity: 1 }, prefixKey), [200]],
  ["export within ../tenantB", () => get("/v1/export?within=..%2FtenantB"), [400]],
  ["events within ../tenantB", () => get("/v1/events?within=..%2FtenantB"), [400]],
  ["prefix-root key lists everything it can", () => get("/v1/memories", prefixKey), [200]],
  ["prefix-root key gets B's id", () => get(`/v1/memories/${idB}`, prefixKey), [404]],
  ["prefix-root key erases its root", () => post("/v1/erase", { namespace: [] }, prefixKey), [200]],
  [
    "identity headers",
    () =>
      server.request("GET", "/v1/memories", {
        key: keyA,
        headers: {
          "x-engram-namespace": "tenantB",
          "x-tenant": "tenantB",
          "x-forwarded-for": "127.0.0.1",
        },
      }),
    [200],
  ],
  [
    "namespace in the query of a body route",
    () => post("/v1/search?namespace=tenantB", { query: "launch" }),
    [200],
  ],
  [
    "A's secret with B's key id",
    () =>
      server.request("GET", "/v1/memories", {
        key: keyA.replace(/_[a-f0-9]{16}_/, "_0123456789abcdef_"),
      }),
    [401],
  ],
  [
    "deeply nested metadata",
    () =>
      rawRequest(server.url, {
        method: "POST",
        path: "/v1/memories",
        headers: { authorization: `Bearer ${keyA}`, "content-type": "application/json" },
        body: `{"content":"x","metadata":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`,
      }),
    [400],
  ],
  [
    "deeply nested namespace",
    () =>
      rawRequest(server.url, {
        method: "POST",
        path: "/v1/search",
        headers: { authorization: `Bearer ${keyA}`, "content-type": "application/json" },
        body: `{"query":"x","namespace":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      }),
    [400],
  ],
  [
    "oversized body",
    () =>
      rawRequest(server.url, {
        method: "POST",
        path: "/v1/memories",
        headers: { authorization: `Bearer ${keyA}`, "content-type": "application/json" },
        body: JSON.stringify({ namespace: ["..", "tenantB"], content: "x".repeat(3_000_000) }),
      }),
    [413],
  ],
  [
    "oversized batch",
    () => post("/v1/memories", { memories: Array(500).fill({ content: "x" }) }),
    [400],
  ],
];

describe("isolation battery: a key for tenant A against tenant B", () => {
  it.each(attacks)("%s", async (_name, run, expected) => {
    const response = await run();
    expect(expected).toContain(response.status);
    expect(leaks(response.body)).toBeNull();
    expect(await listB()).toBe(snapshotB);
  });

  it("writes naming B in the body or metadata land under A's root", async () => {
    const response = await post("/v1/memories", {
      namespace: ["tenantB"],
      content: "planted",
      metadata: { tenant: "tenantB", namespace: ["tenantB"] },
    });
    expect(response.status).toBe(201);
    const stored = await server.memory.get(response.body.id);
    expect(stored?.namespace).toEqual(["tenantA", "tenantB"]);
    expect(await listB()).toBe(snapshotB);
  });

  it("a thread, messages and working memory naming B land under A's root, and A's erase stays there", async () => {
    const appended = await send("POST", `${B_PATH}/messages?${B_AT}`, {
      messages: [{ id: "b1", role: "user", content: "planted" }],
    });
    expect(appended.status).toBe(201);
    expect(appended.body.messages[0].namespace).toEqual(["tenantB", "users", "bob"]);
    const planted = await server.memory.threads.get({
      namespace: ["tenantA", "tenantB", "users", "bob"],
      threadId: "secret-thread",
    });
    expect(planted?.messageCount).toBe(1);
    const written = await send("PUT", "/v1/working-memory", {
      namespace: ["tenantB", "users"],
      content: { planted: true },
    });
    expect(written.status).toBe(200);
    const ingested = await send("POST", `${B_PATH}/ingest?${B_AT}`, {});
    expect(ingested.body.decisions).toHaveLength(1);
    expect(await listB()).toBe(snapshotB);

    const erased = await send("POST", "/v1/erase", { namespace: ["tenantB", "users"] }, adminA);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      memories: 1,
      threads: 1,
      messages: 1,
      workingMemories: 1,
    });
    expect(await listB()).toBe(snapshotB);
  });

  it("history shows A where a change came from only when the thread is A's", async () => {
    const thread = { namespace: ["tenantB", "inbox"], threadId: "to-a" };
    await server.memory.messages.append({
      ...thread,
      messages: [{ id: "x1", role: "user", content: "a note B passed on to A" }],
    });
    const report = await server.memory.ingest({ ...thread, into: ["tenantA", "from-b"] });
    const memoryId = report.decisions[0]!.memoryId!;
    const history = await get(`/v1/memories/${memoryId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.entries[0]).not.toHaveProperty("source");
    expect(JSON.stringify(history.body)).not.toContain("to-a");
    snapshotB = await listB();
  });

  it("forget by a filter on A's whole root leaves B alone", async () => {
    const response = await post("/v1/forget", { within: [], tags: ["secret"] });
    expect(response.status).toBe(200);
    expect(await listB()).toBe(snapshotB);
  });

  it("a subscription for A never hears about B", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/events`, {
      headers: { authorization: `Bearer ${keyA}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await server.memory.remember({ namespace: ["tenantB", "x"], content: "B event" });
    await post("/v1/memories", { namespace: ["events"], content: "A event" });
    let text = "";
    while (!text.includes("event: created")) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).not.toContain("tenantB");
    expect(text).toContain('"namespace":["events"]');
    snapshotB = await listB();
  });

  it("A's export holds only A's memories, relative to A's root", async () => {
    const response = await get("/v1/export");
    expect(response.status).toBe(200);
    expect(leaks(response.body)).toBeNull();
    expect(String(response.body)).toContain('"namespace":["tenantB"]'); // A's own planted memory
  });

  it("A's export with vectors carries A's vectors only", async () => {
    const response = await get("/v1/export?vectors=true");
    expect(response.status).toBe(200);
    expect(leaks(response.body)).toBeNull();
    const lines = String(response.body)
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.vector).toMatchObject({ model: expect.any(String) });
    // The vector of B's memory is B's: A gets nothing for its id.
    const confined = confineMemory(server.memory, localPrincipal(["tenantA"]));
    expect(await confined.vectors([idB])).toEqual([undefined]);
  });

  it("MCP tools confine A the same way", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["get", { id: idB }],
      ["update", { id: idB, content: "pwned" }],
      ["recall", { query: "launch code", within: [".."] }],
      ["list", { within: ["..", "tenantB"] }],
      ["remember", { content: "x", namespace: ["..", "tenantB"] }],
      ["context", { query: "launch", within: ["%2E%2E"] }],
      ["context", { maxTokens: 500, thread: { namespace: [".."], threadId: "secret-thread" } }],
      ["get_thread", B_THREAD],
      ["get_thread", { namespace: ["..", "tenantB", "users", "bob"], threadId: "secret-thread" }],
      ["update_thread", { ...B_THREAD, title: "pwned" }],
      ["delete_thread", B_THREAD],
      ["list_threads", { within: ["..", "tenantB"] }],
      ["clone_thread", { ...B_THREAD, toId: "stolen" }],
      ["clone_thread", { namespace: ["users", "alice"], threadId: "own", toNamespace: [".."] }],
      [
        "append_messages",
        { ...B_THREAD, namespace: ["..", "tenantB"], messages: [{ role: "user", content: "x" }] },
      ],
      ["read_messages", { ...B_THREAD, namespace: [".."] }],
      ["update_message", { ...B_THREAD, id: "b1", content: "pwned" }],
      ["get_working_memory", { namespace: ["tenantB"] }],
      ["get_working_memory", B_THREAD],
      ["set_working_memory", { namespace: ["..", "tenantB"], content: "pwned" }],
      ["update_working_memory", { ...B_THREAD, patch: { pwned: true } }],
      ["ingest", B_THREAD],
      ["ingest", { namespace: ["users", "alice"], threadId: "own", into: [".."] }],
      ["erase", { namespace: ["tenantB"] }],
    ];
    for (const [tool, args] of cases) {
      const result = await callTool(mcp, tool, args);
      expect(result.isError, tool).toBe(true);
      expect(leaks(result.value), tool).toBeNull();
    }
    const noMessages = await callTool(mcp, "delete_messages", { ...B_THREAD, ids: ["b1", "b2"] });
    expect(noMessages.value).toEqual({ deleted: 0 });
    const foreignIds = await callTool(mcp, "get_messages", {
      namespace: ["users", "alice"],
      threadId: "own",
      ids: ["b1", "b2"],
    });
    expect(foreignIds.value).toEqual({ messages: [null, null] });
    const threads = await callTool(mcp, "list_threads", {});
    expect(threads.isError).toBe(false);
    expect(leaks(threads.value)).toBeNull();
    const forgot = await callTool(mcp, "forget", { ids: [idB] });
    expect(forgot.value).toEqual({ deleted: 0 });
    const recalled = await callTool(mcp, "recall", { query: "launch code secret password" });
    expect(recalled.isError).toBe(false);
    expect(leaks(recalled.value)).toBeNull();
    expect(await listB()).toBe(snapshotB);
  });
});
