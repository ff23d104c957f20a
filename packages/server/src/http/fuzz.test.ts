import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, startTestServer, type TestServer } from "../testing/test-server.js";

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
// Instants a Date cannot hold, and ones that are not instants at all.
const INSTANTS: unknown[] = [
  8_640_000_000_000_001,
  -8_640_000_000_000_001,
  1e300,
  2 ** 53 + 1,
  "+275760-09-13T00:00:00.001Z",
  "not a date",
  "",
  true,
  [],
];
// Values of the wrong type (or range) for each field.
const WRONG: Record<string, unknown[]> = {
  kind: [1, null, [], {}, "UPPER"],
  key: [1, [], {}, true, ""],
  tags: ["x", 1, {}, [1], [""]],
  importance: ["1", -1, 2, null, 1e308],
  pinned: ["yes", 1, null, []],
  metadata: [[], "x", 1, true],
  namespace: ["x", 1, {}, [1]],
  content: [1, null, [], {}, "   "],
};
// Event cursors no store hands out.
const CURSORS = ["abc", "-1", "$", "+", "-", "1-2-3", "0x1", "1e3", "%00", "9".repeat(40), "1-"];
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

// Path parameters no store holds, or that are not ids at all.
const PARAMETERS = [
  "..",
  "%2E%2E%2F",
  "x".repeat(300),
  "0190b0b0-0000-7000-8000-000000000000",
  "%00",
  "a}|@ns:{b*",
  "%F0%9F%98",
];
// Query strings with malformed values: limits, scopes, cursors, instants, kinds.
const QUERIES = [
  "",
  "?limit=-1",
  "?limit=abc&within=..",
  "?within=%2E%2E%2Ffoo",
  "?cursor=AAAA",
  "?cursor=%00%01",
  "?kinds=%00&tags=a}|@ns:{b*",
  "?within=a&createdAfter=1e300",
  "?within=a&updatedBefore=8640000000000001",
  "?namespace=..&thread=%00",
  `?within=a&limit=${"9".repeat(30)}`,
  ...CURSORS.map((cursor) => `?within=a&since=${encodeURIComponent(cursor)}`),
];

describe("fuzz: 1,000 malformed requests over every route (instants, cursors, sizes, types)", () => {
  let server: TestServer;
  let key: string;
  let existingId: string;
  beforeAll(async () => {
    server = await startTestServer({ maxBodyBytes: 64 * 1024 });
    key = await server.key(["fuzz"], ["read", "write", "admin"]);
    const created = await server.request("POST", "/v1/memories", {
      key,
      body: {
        memories: [
          { namespace: ["a"], content: "alpha", key: "k", expiresAt: Date.now() + 86_400_000 },
          { content: "beta" },
        ],
      },
    });
    existingId = created.body.results[0].id;
  });
  afterAll(() => server.close());

  it("never answers 5xx, never crashes, and changes nothing", async () => {
    // Memories (with their expiry) and history: any write, even a half-failed one, shows here.
    const snapshot = async () => {
      const { memories } = await server.memory.list({ within: ["fuzz"], limit: 1000 });
      const history = await Promise.all(memories.map((memory) => server.memory.history(memory.id)));
      return JSON.stringify({ memories, history });
    };
    const before = await snapshot();
    // And every byte of the store: rows of every table, or every key with its expiry.
    const stored = await server.snapshot();
    expect(JSON.parse(stored).length).toBeGreaterThan(0);
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
      // Instants out of range, on create, update and filters.
      () => JSON.stringify({ content: "timed", namespace: ["a"], expiresAt: pick(INSTANTS) }),
      () =>
        JSON.stringify({
          memories: [{ content: "ok" }, { content: "x", expiresAt: pick(INSTANTS) }],
        }),
      () => JSON.stringify({ expiresAt: pick(INSTANTS), content: "patched" }),
      () => JSON.stringify({ query: "x", within: ["a"], createdAfter: pick(INSTANTS) }),
      () => JSON.stringify({ within: ["a"], updatedBefore: pick(INSTANTS) }),
      // Sizes: just over the 64 KiB limit, and far over it.
      () => JSON.stringify({ content: "x".repeat(64 * 1024 + Math.floor(next() * 1024)) }),
      () => JSON.stringify({ content: "y".repeat(200_000 + Math.floor(next() * 100_000)) }),
      () => JSON.stringify({ content: "ok", metadata: { blob: "z".repeat(70_000) } }),
      // Types: every field with a value of the wrong type.
      () => {
        const field = pick(Object.keys(WRONG));
        return JSON.stringify({ content: "typed", [field]: pick(WRONG[field]!) });
      },
    ];
    // Every route the API declares (so a new route is fuzzed too), and MCP.
    const document = (await server.request("GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = [
      ...Object.entries(document.paths).map(([template, operations]) => ({
        template,
        methods: Object.keys(operations).map((method) => method.toUpperCase()),
      })),
      { template: "/mcp", methods: ["POST", "GET", "DELETE"] },
    ];
    expect(routes.length).toBeGreaterThan(20);
    const visited = new Set<string>();
    const fill = (template: string) =>
      template.replace(/\{[^}]+\}/g, (parameter) =>
        // The existing memory only ever gets malformed updates (a DELETE of it would be valid).
        parameter === "{id}" && next() < 0.2 ? existingId : pick(PARAMETERS),
      );
    const contentTypes = ["application/json", "text/plain", "application/json; charset=utf-16", ""];
    const statuses = new Map<number, number>();
    const requests = Array.from({ length: 1000 }, () => {
      const route = pick(routes);
      visited.add(route.template);
      const path = `${fill(route.template)}${pick(QUERIES)}`;
      const method = path.includes(existingId)
        ? "PATCH"
        : next() < 0.8
          ? pick(route.methods)
          : pick(["POST", "PATCH", "PUT", "DELETE", "GET"]);
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
      if (path.startsWith("/v1/events")) headers["last-event-id"] = pick(CURSORS);
      const body = method === "GET" ? undefined : pick(bodies)();
      return { method, path, headers, body };
    });
    // Bounded concurrency on loopback only.
    for (let start = 0; start < requests.length; start += 16) {
      await Promise.all(
        requests.slice(start, start + 16).map(async ({ method, path, headers, body }) => {
          // node:http, not fetch: an early 413 closes the socket while the body is still going.
          const response = await rawRequest(server.url, { method, path, headers, body });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) {
            throw new Error(`${method} ${path} ${body?.slice(0, 200)} -> ${response.status}`);
          }
        }),
      );
    }
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    expect(visited.size).toBe(routes.length);
    expect((await server.request("GET", "/healthz")).status).toBe(200);
    expect(await snapshot()).toBe(before);
    expect(await server.snapshot()).toBe(stored);
  });
});
