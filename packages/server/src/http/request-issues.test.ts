import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.js";

let server: TestServer;
let open: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  open = await startTestServer({ keys: false });
  key = await server.key(["acme"], ["read", "write"]);
});
afterAll(async () => {
  await server.close();
  await open.close();
});

async function refused(path: string, body: unknown, on = server) {
  const response = await on.request("POST", path, { key: on === server ? key : undefined, body });
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  return response.body as { code: string; message: string; details: { issues: unknown[] } };
}

describe("a refused REST request names the field and the limit", () => {
  it("an unknown key, with the field it was probably meant to be", async () => {
    const body = await refused("/v1/memories", { namespace: ["a"], contnet: "Alice likes tea" });
    expect(body.message).toMatch(/^Invalid request at contnet: unknown field "contnet"/);
    expect(body.message).toContain('did you mean "content"?');
    expect(body.details.issues[0]).toEqual({
      path: ["contnet"],
      message: 'unknown field "contnet"; did you mean "content"?',
    });
  });

  it("a string where an array is expected", async () => {
    const tags = await refused("/v1/memories", { namespace: ["a"], content: "x", tags: "ops" });
    expect(tags.message).toBe("Invalid request at tags: expected array, received string.");
    const within = await refused("/v1/search", { query: "tea", within: "users/alice" });
    expect(within.message).toMatch(/^Invalid request at within: a namespace is an array/);
    expect(within.message).toContain('["users", "alice"]');
  });

  it("a batch over 100, and a typo inside a batch", async () => {
    const memories = Array.from({ length: 101 }, (_, index) => ({ content: `fact ${index}` }));
    const big = await refused("/v1/memories", { memories });
    expect(big.message).toBe("Invalid request at memories: at most 100 items.");
    const typo = await refused("/v1/memories", { memories: [{ content: "ok" }, { contnet: "x" }] });
    expect(typo.message).toMatch(/^Invalid request at memories\.1\.contnet: unknown field/);
    expect((await server.request("GET", "/v1/memories", { key })).body.memories).toEqual([]);
  });

  it("a search without a scope says to give namespace or within", async () => {
    const none = await refused("/v1/search", { query: "tea" }, open);
    expect(none.message).toMatch(/Give `namespace` or `within`/);
    const root = await refused("/v1/search", { query: "tea", namespace: [] }, open);
    expect(root.message).toMatch(/`namespace: \[\]` is the whole store/);
    expect(root.message).toContain('`namespace: ["acme"]`');
    // With a key, no scope is the key's root, as every tool description says.
    const rooted = await server.request("POST", "/v1/search", { key, body: { query: "tea" } });
    expect(rooted.status).toBe(200);
  });
});
