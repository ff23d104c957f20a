import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  rawRequest,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
} from "../testing/test-server.js";

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

describe("REST", () => {
  it("answers /healthz and /openapi.json without a key", async () => {
    expect((await server.request("GET", "/healthz")).body).toEqual({
      status: "ok",
      backend: TEST_BACKEND,
    });
    const doc = await server.request("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/v1/memories", "/v1/search", "/v1/memories/{id}", "/v1/erase"]),
    );
    expect(doc.body.components.schemas.RememberInput).toBeDefined();
  });

  it("remembers one memory and shows its namespace relative to the key's root", async () => {
    const response = await server.request("POST", "/v1/memories", {
      key,
      body: {
        namespace: ["users", "alice"],
        content: "Alice prefers dark mode",
        kind: "preference",
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe("created");
    expect(response.body.memory.namespace).toEqual(["users", "alice"]);
    const stored = await server.memory.get(response.body.id);
    expect(stored?.namespace).toEqual(["acme", "users", "alice"]);
  });

  it("remembers imported history at the time it happened", async () => {
    const response = await server.request("POST", "/v1/memories", {
      key,
      body: {
        namespace: ["users", "alice"],
        content: "Alice went to the support group yesterday",
        createdAt: "2023-05-08T13:56:00.000Z",
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.memory.createdAt).toBe("2023-05-08T13:56:00.000Z");
  });

  it("remembers a batch, lists it, searches it, gets, updates and deletes by id", async () => {
    const batch = await server.request("POST", "/v1/memories", {
      key,
      body: {
        memories: [
          { namespace: ["team"], content: "Our main database is PostgreSQL 16", tags: ["ops"] },
          { namespace: ["team"], content: "We deploy on Tuesdays and Thursdays", key: "deploy" },
        ],
      },
    });
    expect(batch.status).toBe(201);
    expect(batch.body.results).toHaveLength(2);

    const page = await server.request("GET", "/v1/memories?namespace=team&limit=1", { key });
    expect(page.status).toBe(200);
    expect(page.body.memories).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await server.request(
      "GET",
      `/v1/memories?namespace=team&limit=1&cursor=${page.body.nextCursor}`,
      { key },
    );
    expect(next.body.memories).toHaveLength(1);
    expect(next.body.memories[0].id).not.toBe(page.body.memories[0].id);

    const search = await server.request("POST", "/v1/search", {
      key,
      body: { query: "which database do we use", within: ["team"], explain: true, limit: 1 },
    });
    expect(search.status).toBe(200);
    expect(search.body.memories[0].content).toContain("PostgreSQL");
    expect(search.body.memories[0].score).toBeGreaterThan(0);

    const keyword = await server.request("POST", "/v1/search", {
      key,
      body: { query: "Tuesdays", mode: "keyword", tags: ["ops"] },
    });
    expect(keyword.body.memories).toEqual([]);

    const id = batch.body.results[0].id;
    expect((await server.request("GET", `/v1/memories/${id}`, { key })).body.content).toContain(
      "PostgreSQL",
    );
    const patched = await server.request("PATCH", `/v1/memories/${id}`, {
      key,
      body: { content: "Our main database is PostgreSQL 17", pinned: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.pinned).toBe(true);
    const history = await server.request("GET", `/v1/memories/${id}/history`, { key });
    expect(history.status).toBe(200);
    expect(history.body.entries.map((entry: { action: string }) => entry.action)).toEqual([
      "created",
      "updated",
    ]);
    expect((await server.request("DELETE", `/v1/memories/${id}`, { key })).body).toEqual({
      deleted: 1,
    });
    expect((await server.request("GET", `/v1/memories/${id}`, { key })).status).toBe(404);
    expect((await server.request("DELETE", `/v1/memories/${id}`, { key })).status).toBe(404);
  });

  it("builds a context block", async () => {
    const response = await server.request("POST", "/v1/context", {
      key,
      body: { query: "deploy days", maxTokens: 200 },
    });
    expect(response.status).toBe(200);
    expect(response.body.text).toContain("Tuesdays");
  });

  it("forgets by filter and erases a subtree with the admin scope only", async () => {
    await server.request("POST", "/v1/memories", {
      key,
      body: {
        memories: [
          { namespace: ["tmp", "a"], content: "one" },
          { namespace: ["tmp", "b"], content: "two" },
        ],
      },
    });
    const forgot = await server.request("POST", "/v1/forget", {
      key,
      body: { namespace: ["tmp", "a"] },
    });
    expect(forgot.body).toEqual({ deleted: 1 });
    const denied = await server.request("POST", "/v1/erase", { key, body: { namespace: ["tmp"] } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe("FORBIDDEN");
    const erased = await server.request("POST", "/v1/erase", {
      key: admin,
      body: { namespace: ["tmp"] },
    });
    expect(erased.status).toBe(200);
    expect(erased.body.deleted).toBe(1);
  });

  it("prunes namespaces over capacity with the admin scope only, never a pinned memory", async () => {
    await server.request("POST", "/v1/memories", {
      key,
      body: {
        memories: [
          { namespace: ["crowd"], content: "first crowded note", importance: 0.1 },
          { namespace: ["crowd"], content: "second crowded note", importance: 0.9 },
          { namespace: ["crowd"], content: "third crowded note", pinned: true },
          { namespace: ["crowd", "inner"], content: "inner crowded note" },
        ],
      },
    });
    const body = { within: ["crowd"], capacity: 1 };
    const denied = await server.request("POST", "/v1/prune", { key, body });
    expect([denied.status, denied.body.code]).toEqual([403, "FORBIDDEN"]);
    const noCapacity = await server.request("POST", "/v1/prune", {
      key: admin,
      body: { within: ["crowd"] },
    });
    expect([noCapacity.status, noCapacity.body.code]).toEqual([400, "INVALID_ARGUMENT"]);
    const pruned = await server.request("POST", "/v1/prune", { key: admin, body });
    expect([pruned.status, pruned.body]).toEqual([200, { evicted: 2, namespaces: 1 }]);
    const left = await server.memory.list({ within: ["acme", "crowd"] });
    expect(left.memories.map((m) => m.content).sort()).toEqual([
      "inner crowded note",
      "third crowded note",
    ]);
  });

  it("answers errors with EngramError codes and the right statuses", async () => {
    const noKey = await server.request("GET", "/v1/memories");
    expect([noKey.status, noKey.body.code]).toEqual([401, "UNAUTHENTICATED"]);
    const badKey = await server.request("GET", "/v1/memories", {
      key: "engram_0000000000000000_x",
    });
    expect(badKey.status).toBe(401);
    const write = await server.request("POST", "/v1/memories", {
      key: readOnly,
      body: { content: "nope" },
    });
    expect([write.status, write.body.code]).toEqual([403, "FORBIDDEN"]);
    const malformed = await server.request("POST", "/v1/memories", { key, raw: "{not json" });
    expect([malformed.status, malformed.body.code]).toEqual([400, "INVALID_ARGUMENT"]);
    const schema = await server.request("POST", "/v1/memories", {
      key,
      body: { content: 42, importance: 7 },
    });
    expect(schema.status).toBe(400);
    expect(schema.body.details.issues.length).toBeGreaterThan(0);
    const badNamespace = await server.request("POST", "/v1/memories", {
      key,
      body: { namespace: ["a", ".."], content: "x" },
    });
    expect([badNamespace.status, badNamespace.body.code]).toEqual([400, "INVALID_NAMESPACE"]);
    const unknown = await server.request(
      "GET",
      "/v1/memories/0190b0b0-0000-7000-8000-000000000000",
      {
        key,
      },
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, "NOT_FOUND"]);
    const tooBig = await rawRequest(server.url, {
      method: "POST",
      path: "/v1/memories",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ content: "x".repeat(2 * 1024 * 1024) }),
    });
    expect([tooBig.status, tooBig.body.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    const batch = await server.request("POST", "/v1/memories", {
      key,
      body: { memories: Array.from({ length: 101 }, (_, i) => ({ content: `m${i}` })) },
    });
    expect(batch.status).toBe(400);
    const page = await server.request("GET", "/v1/memories?limit=5000", { key });
    expect(page.status).toBe(400);
    const route = await server.request("GET", "/v2/nothing", { key });
    expect(route.status).toBe(404);
  });

  it("never writes part of a batch", async () => {
    const before = await server.memory.list({ within: ["acme"], limit: 1000 });
    const response = await server.request("POST", "/v1/memories", {
      key,
      body: {
        memories: [
          { namespace: ["batch"], content: "fine" },
          { namespace: ["batch", ".."], content: "bad" },
        ],
      },
    });
    expect(response.status).toBe(400);
    const after = await server.memory.list({ within: ["acme"], limit: 1000 });
    expect(after.memories.length).toBe(before.memories.length);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After once a key's bucket is empty", async () => {
    const limited = await startTestServer({ rateLimit: { burst: 3, perSecond: 0.5 } });
    try {
      const secret = await limited.key(["acme"]);
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await limited.request("GET", "/v1/memories", { key: secret });
        statuses.push(response.status);
        retryAfter ??= response.headers.get("retry-after");
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
