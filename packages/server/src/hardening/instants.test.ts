import { EngramError } from "@engram/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.js";

// Issue 14, item 1: an instant a Date cannot hold used to pass validation and fail after the
// write (SQLite dropped the expiry, Redis wrote "NaN" and PEXPIREAT failed inside MULTI).
const OUT_OF_RANGE = [8_640_000_000_000_001, 1e300, 2 ** 53 + 1, -8_640_000_000_000_001];

let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer();
  key = await server.key(["instants"], ["read", "write", "admin"]);
});
afterAll(() => server.close());

const snapshot = async () =>
  JSON.stringify(await server.memory.list({ within: ["instants"], limit: 1000 }));

describe("instants outside the Date range", () => {
  it("POST /v1/memories refuses them with 400 and writes nothing", async () => {
    const before = await snapshot();
    for (const expiresAt of OUT_OF_RANGE) {
      const one = await server.request("POST", "/v1/memories", {
        key,
        body: { namespace: ["a"], content: `expiring ${expiresAt}`, expiresAt },
      });
      expect(one.status, String(expiresAt)).toBe(400);
      expect(one.body.code).toBe("INVALID_ARGUMENT");
      const batch = await server.request("POST", "/v1/memories", {
        key,
        body: { memories: [{ content: "fine" }, { content: "late", expiresAt }] },
      });
      expect(batch.status).toBe(400);
    }
    expect(await snapshot()).toBe(before);
  });

  it("PATCH refuses them and keeps the existing expiry; the scope stays readable", async () => {
    const expiresAt = Date.now() + 86_400_000;
    const created = await server.request("POST", "/v1/memories", {
      key,
      body: { namespace: ["b"], content: "expires tomorrow", expiresAt },
    });
    expect(created.status).toBe(201);
    for (const bad of OUT_OF_RANGE) {
      const patched = await server.request("PATCH", `/v1/memories/${created.body.id}`, {
        key,
        body: { expiresAt: bad, content: "changed" },
      });
      expect(patched.status).toBe(400);
    }
    const got = await server.request("GET", `/v1/memories/${created.body.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body.content).toBe("expires tomorrow");
    expect(new Date(got.body.expiresAt).getTime()).toBe(expiresAt);
    expect((await server.request("GET", "/v1/memories?within=b", { key })).status).toBe(200);
    const search = await server.request("POST", "/v1/search", {
      key,
      body: { query: "tomorrow", within: ["b"] },
    });
    expect(search.status).toBe(200);
  });

  it("core refuses them as INVALID_ARGUMENT before anything is written", async () => {
    const before = await snapshot();
    for (const expiresAt of OUT_OF_RANGE) {
      const refused = await server.memory
        .remember({ namespace: ["instants", "c"], content: "x", expiresAt })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(EngramError.isInstance(refused) && refused.code).toBe("INVALID_ARGUMENT");
      const ttl = await server.memory
        .remember({ namespace: ["instants", "c"], content: "x", ttlMs: expiresAt })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(EngramError.isInstance(ttl) && ttl.code).toBe("INVALID_ARGUMENT");
      const filter = await server.memory
        .list({ within: ["instants"], createdAfter: expiresAt })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(EngramError.isInstance(filter) && filter.code).toBe("INVALID_ARGUMENT");
    }
    expect(await snapshot()).toBe(before);
  });

  it("restore refuses them in every instant of a memory and its history, writing nothing", async () => {
    const before = await snapshot();
    const now = Date.now();
    const record = {
      id: "0190b0b0-0000-7000-8000-00000000abcd",
      namespace: ["instants", "restored"],
      content: "restored",
      kind: "fact",
      metadata: {},
      tags: [],
      importance: 0.5,
      pinned: false,
      createdAt: now,
      updatedAt: now,
      accessCount: 0,
    };
    for (const instant of OUT_OF_RANGE) {
      const items = [
        { memory: { ...record, createdAt: instant } },
        { memory: { ...record, updatedAt: instant } },
        { memory: { ...record, lastAccessedAt: instant } },
        { memory: { ...record, expiresAt: instant } },
        { memory: record, history: [{ action: "created", at: instant, after: record }] },
      ];
      for (const item of items) {
        const refused = await server.memory.restore([item as never]).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(EngramError.isInstance(refused) && refused.code).toBe("INVALID_ARGUMENT");
      }
    }
    // A counter no store can hold exactly is refused as well.
    const counted = await server.memory
      .restore([{ memory: { ...record, accessCount: 2 ** 60 } }])
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(EngramError.isInstance(counted) && counted.code).toBe("INVALID_ARGUMENT");
    expect(await snapshot()).toBe(before);
    expect(await server.memory.get(record.id)).toBeUndefined();
  });

  it("a fractional instant is stored as whole milliseconds and every read still works", async () => {
    const expiresAt = Date.now() + 86_400_000.5;
    const created = await server.memory.remember({
      namespace: ["instants", "d"],
      content: "fractional expiry",
      expiresAt,
    });
    expect(created.memory.expiresAt?.getTime()).toBe(Math.trunc(expiresAt));
    const listed = await server.memory.list({ within: ["instants", "d"] });
    expect(listed.memories.map((memory) => memory.content)).toEqual(["fractional expiry"]);
  });
});
