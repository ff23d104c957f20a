import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, connectMcpOverHttp } from "../testing/mcp-client.js";
import { rawRequest, startTestServer, type TestServer } from "../testing/test-server.js";

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

async function listB(): Promise<string> {
  const page = await server.memory.list({ within: B_ROOT, limit: 1000 });
  return JSON.stringify(page.memories);
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

const attacks: Attack[] = [
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

  it("MCP tools confine A the same way", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["get", { id: idB }],
      ["update", { id: idB, content: "pwned" }],
      ["recall", { query: "launch code", within: [".."] }],
      ["list", { within: ["..", "tenantB"] }],
      ["remember", { content: "x", namespace: ["..", "tenantB"] }],
      ["context", { query: "launch", within: ["%2E%2E"] }],
    ];
    for (const [tool, args] of cases) {
      const result = await callTool(mcp, tool, args);
      expect(result.isError, tool).toBe(true);
      expect(leaks(result.value), tool).toBeNull();
    }
    const forgot = await callTool(mcp, "forget", { ids: [idB] });
    expect(forgot.value).toEqual({ deleted: 0 });
    const recalled = await callTool(mcp, "recall", { query: "launch code secret password" });
    expect(recalled.isError).toBe(false);
    expect(leaks(recalled.value)).toBeNull();
    expect(await listB()).toBe(snapshotB);
  });
});
