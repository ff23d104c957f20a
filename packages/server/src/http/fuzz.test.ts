import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.js";

// A small seeded generator, so a failure reproduces.
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const SEGMENTS = [
  "..",
  ".",
  "",
  "a/b",
  "%2E%2E",
  "a}|@ns:{b*",
  "x".repeat(200),
  "ok",
  "\u0000",
  "é",
  " ",
];
const VALUES: unknown[] = [
  null,
  true,
  -1,
  1e308,
  "",
  "x",
  [],
  {},
  [[[]]],
  { __proto__: 1 },
  "\ud800",
  1.5,
];

describe("fuzz: 1,000 malformed requests", () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer();
    key = await server.key(["fuzz"], ["read", "write", "admin"]);
    await server.request("POST", "/v1/memories", {
      key,
      body: { memories: [{ namespace: ["a"], content: "alpha", key: "k" }, { content: "beta" }] },
    });
  });
  afterAll(() => server.close());

  it("never answers 5xx, never crashes, and changes nothing", async () => {
    const snapshot = async () =>
      JSON.stringify((await server.memory.list({ within: ["fuzz"], limit: 1000 })).memories);
    const before = await snapshot();
    const { next, pick } = random(20_240_601);
    const badNamespace = () => [pick(["ok", "a"]), pick(SEGMENTS.filter((s) => s !== "ok"))];
    const bodies: (() => string)[] = [
      () => "{not json",
      () => `{"content": "x"`,
      () => JSON.stringify(pick(VALUES)),
      () => '{"__proto__": {"admin": true}, "content": "x", "namespace": [".."]}',
      () => JSON.stringify({ content: pick(VALUES), namespace: badNamespace() }),
      () => JSON.stringify({ content: "x", namespace: badNamespace(), metadata: pick(VALUES) }),
      () => JSON.stringify({ content: "x", unknownField: pick(VALUES) }),
      () =>
        JSON.stringify({
          memories: [{ content: "ok" }, { content: "x", namespace: badNamespace() }],
        }),
      () => JSON.stringify({ memories: pick(VALUES) }),
      () => JSON.stringify({ query: pick(VALUES), limit: pick(VALUES) }),
      () => JSON.stringify({ query: "x", namespace: badNamespace(), mode: pick(VALUES) }),
      () => JSON.stringify({ namespace: badNamespace() }),
      () => JSON.stringify({ ids: pick(VALUES) }),
      () => `${"[".repeat(2000 + Math.floor(next() * 5000))}`,
      () =>
        Buffer.from(Array.from({ length: 64 }, () => Math.floor(next() * 256))).toString("latin1"),
    ];
    const paths = [
      "/v1/memories",
      "/v1/search",
      "/v1/forget",
      "/v1/erase",
      "/v1/context",
      `/v1/memories/${pick(["..", "%2E%2E%2F", "x".repeat(70), "0190b0b0-0000-7000-8000-000000000000"])}`,
      "/v1/memories?limit=-1",
      "/v1/memories?limit=abc&within=..",
      "/v1/memories?within=%2E%2E%2Ffoo",
      "/v1/memories?cursor=AAAA",
      "/v1/memories?kinds=%00&tags=a}|@ns:{b*",
      "/v1/events?within=..",
      "/v1/export?within=a%2F..",
      "/mcp",
    ];
    const contentTypes = ["application/json", "text/plain", "application/json; charset=utf-16", ""];
    const statuses = new Map<number, number>();
    const requests = Array.from({ length: 1000 }, () => {
      const method = pick(["POST", "POST", "PATCH", "PUT", "DELETE", "GET"]);
      const path = pick(paths);
      const auth = pick([
        `Bearer ${key}`,
        `Bearer ${key}`,
        `Bearer ${key}`,
        "Bearer x",
        "Basic abc",
        "",
      ]);
      const headers: Record<string, string> = {};
      if (auth) headers.authorization = auth;
      const contentType = pick(contentTypes);
      if (contentType) headers["content-type"] = contentType;
      if (path === "/mcp") headers.accept = "application/json, text/event-stream";
      const body = method === "GET" ? undefined : pick(bodies)();
      return { method, path, headers, body };
    });
    // Bounded concurrency on loopback only.
    for (let start = 0; start < requests.length; start += 16) {
      await Promise.all(
        requests.slice(start, start + 16).map(async ({ method, path, headers, body }) => {
          const response = await fetch(`${server.url}${path}`, { method, headers, body });
          await response.body?.cancel();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) {
            throw new Error(`${method} ${path} ${body?.slice(0, 200)} -> ${response.status}`);
          }
        }),
      );
    }
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    expect((await server.request("GET", "/healthz")).status).toBe(200);
    expect(await snapshot()).toBe(before);
  });
});
