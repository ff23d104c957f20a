import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_BACKEND, type TestServer } from "../testing/test-server.js";

let server: TestServer;
let open: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 1000 });
  open = await startTestServer({ keys: false });
  key = await server.key(["acme"], ["read", "write"]);
});
afterAll(async () => {
  await server.close();
  await open.close();
});

describe("what a newcomer meets over HTTP", () => {
  it("GET / points to the API and the OpenAPI document", async () => {
    const response = await server.request("GET", "/");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ openapi: "/openapi.json", rest: "/v1", mcp: "/mcp" });
    expect((await server.request("GET", "/nope")).body.message).toMatch(/GET \//);
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const stats = await server.request("POST", "/v1/stats", { key, body: {} });
    expect(stats.status).toBe(405);
    expect(stats.headers.get("allow")).toBe("GET");
    const search = await server.request("GET", "/v1/search", { key });
    expect(search.status).toBe(405);
    expect(search.headers.get("allow")).toBe("POST");
    expect(search.body.message).toMatch(/use POST/);
  });

  it("never serves a path with doubled slashes past the key check", async () => {
    for (const path of ["//v1/stats", "///v1/stats", "/v1//stats"]) {
      const response = await server.request("GET", path);
      expect([401, 404], path).toContain(response.status);
    }
  });

  it("says why a request is refused: the scheme on 401, the limit on 413", async () => {
    const anonymous = await server.request("GET", "/v1/stats");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const big = await server.request("POST", "/v1/memories", {
      key,
      body: { namespace: ["a"], content: "x".repeat(2000) },
    });
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/1000 bytes/);
  });

  it("counts memories in the key's root with GET /v1/stats", async () => {
    await server.request("POST", "/v1/memories", {
      key,
      body: {
        memories: [
          { namespace: ["users", "alice"], content: "Alice likes tea", kind: "preference" },
          { namespace: ["team"], content: "Deploys happen on Tuesdays" },
        ],
      },
    });
    await server.memory.remember({ namespace: ["other"], content: "not acme" });
    const stats = await server.request("GET", "/v1/stats", { key });
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      backend: TEST_BACKEND,
      total: 2,
      namespaces: [
        { namespace: "team", kinds: { fact: 1 } },
        { namespace: "users/alice", kinds: { preference: 1 } },
      ],
    });
    const alice = await server.request("GET", "/v1/stats?within=users", { key });
    expect(alice.body.total).toBe(1);
  });

  it("without keys, counts the whole store and asks a search for a scope by name", async () => {
    await open.memory.remember([
      { namespace: ["acme", "team"], content: "Deploys happen on Tuesdays" },
      { namespace: ["globex"], content: "Globex ships on Fridays" },
    ]);
    const stats = await open.request("GET", "/v1/stats");
    expect(stats.body.total).toBe(2);
    const search = await open.request("POST", "/v1/search", { body: { query: "deploys" } });
    expect(search.status).toBe(400);
    expect(search.body.message).toMatch(/Give `namespace` or `within`/);
  });
});
