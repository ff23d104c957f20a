import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_BACKEND, type TestServer } from "../testing/test-server.js";

// Issue 14, items 3 and 4: Redis took any `since` (200, an empty stream and a retry loop that
// logged every 500 ms); SQLite event ids were the file-wide sequence, so a tenant's ids jumped
// by the number of writes other tenants made.

let server: TestServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer();
  alice = await server.key(["alice-co"], ["read", "write"]);
  bob = await server.key(["bob-co"], ["read", "write"]);
});
afterAll(() => server.close());

/** Opens the event stream and collects `count` event ids (or fails with the status). */
async function eventIds(key: string, query: string, count: number): Promise<string[]> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/v1/events?${query}`, {
    headers: { authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const ids: string[] = [];
  while (ids.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    for (const match of text.matchAll(/^id: ?(.*)$/gm))
      if (!ids.includes(match[1]!)) ids.push(match[1]!);
  }
  controller.abort();
  return ids;
}

const remember = (key: string, content: string) =>
  server.request("POST", "/v1/memories", { key, body: { namespace: ["n"], content } });

describe("event cursors", () => {
  it("a malformed since or Last-Event-ID is a 400, not an empty stream", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      for (const since of [
        "abc",
        "-1",
        "$",
        "+",
        "-",
        "1-2-3",
        "0x10",
        "1e3",
        "99999999999999999999",
      ]) {
        const query = await server.request(
          "GET",
          `/v1/events?within=n&since=${encodeURIComponent(since)}`,
          {
            key: alice,
          },
        );
        expect([since, query.status, query.body.code]).toEqual([since, 400, "INVALID_ARGUMENT"]);
        const header = await server.request("GET", "/v1/events?within=n", {
          key: alice,
          headers: { "last-event-id": since },
        });
        expect([since, header.status]).toEqual([since, 400]);
      }
      // Nothing was left retrying in the background.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(errors).toEqual([]);
    } finally {
      console.error = original;
    }
  });

  it("a tenant's event ids carry nothing of other tenants' writes", async () => {
    const first = eventIds(alice, "within=n", 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await remember(alice, "alice one");
    const [one] = await first;
    for (let index = 0; index < 5; index++) await remember(bob, `bob ${index}`);
    const second = eventIds(alice, `within=n&since=${one}`, 1);
    await remember(alice, "alice two");
    const [two] = await second;
    expect(one).toBeDefined();
    expect(two).toBeDefined();
    if (TEST_BACKEND === "sqlite") {
      // Each tenant counts its own events: bob's five writes left no gap.
      expect(Number(two)).toBe(Number(one) + 1);
    } else {
      // Redis: each tenant has its own stream; ids are time-sequence within that stream.
      expect(two! > one!).toBe(true);
      expect(two!.split("-")[1]).toBe("0");
    }
  });

  it("a valid cursor still resumes exactly after it", async () => {
    const live = eventIds(bob, "within=n", 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await remember(bob, "resume a");
    await remember(bob, "resume b");
    const [a, b] = await live;
    const resumed = await eventIds(bob, `within=n&since=${a}`, 1);
    expect(resumed).toEqual([b]);
  });
});
