import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ localWhileNoKeys: true });
});
afterAll(() => server.close());

describe("a server started without keys (engram serve on loopback)", () => {
  it("serves requests without a key as the local admin, and refuses a key it does not know", async () => {
    const local = await server.request("POST", "/v1/memories", {
      body: { namespace: ["acme"], content: "Deploys happen on Tuesdays" },
    });
    expect(local.status).toBe(201);
    const unknown = await server.request("GET", "/v1/memories?within=acme", {
      key: "engram_0123456789abcdef_nope",
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe("UNAUTHENTICATED");
  });

  it("picks up a key created while it runs: from then on every request needs one", async () => {
    const key = await server.key(["acme"], ["read"]);
    const listed = await server.request("GET", "/v1/memories", { key });
    expect(listed.status).toBe(200);
    expect(listed.body.memories.map((memory: { content: string }) => memory.content)).toEqual([
      "Deploys happen on Tuesdays",
    ]);
    const anonymous = await server.request("GET", "/v1/memories?within=acme");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});
