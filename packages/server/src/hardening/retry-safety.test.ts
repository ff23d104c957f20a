import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.js";

// Issue 14, item 6: a call that failed (a 5xx, a lost connection) may have landed, so clients
// retry it. A retried call must leave the store as one call would (on both backends; Redis's
// lost EXEC reply itself is core's commit.int.test.ts).

let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer();
  key = await server.key(["retry"], ["read", "write"]);
});
afterAll(() => server.close());

describe("retrying a call that may have landed", () => {
  it("a remember batch sent twice stores each memory once, with the same ids", async () => {
    const body = {
      memories: [
        { namespace: ["batch"], content: "The deploy window is Tuesday 10:00." },
        { namespace: ["batch"], content: "Alice owns the billing service.", key: "billing-owner" },
      ],
    };
    const first = await server.request("POST", "/v1/memories", { key, body });
    const retried = await server.request("POST", "/v1/memories", { key, body });
    expect(first.status).toBe(201);
    expect(retried.status).toBeLessThan(300);
    const ids = (response: typeof first) =>
      response.body.results.map((result: { id: string }) => result.id);
    expect(ids(retried)).toEqual(ids(first));
    const listed = await server.request("GET", "/v1/memories?within=batch", { key });
    expect(listed.body.memories.map((memory: { id: string }) => memory.id).sort()).toEqual(
      [...ids(first)].sort(),
    );
    // The unkeyed one is an exact duplicate: the retry wrote nothing for it.
    const history = await server.request("GET", `/v1/memories/${ids(first)[0]}/history`, { key });
    expect(history.body.entries).toHaveLength(1);
  });

  it("an update or a delete sent twice ends as once", async () => {
    const created = await server.request("POST", "/v1/memories", {
      key,
      body: { namespace: ["once"], content: "Standup is at 9:30." },
    });
    const id = created.body.id ?? created.body.results?.[0]?.id;
    const patch = { content: "Standup is at 9:45." };
    const first = await server.request("PATCH", `/v1/memories/${id}`, { key, body: patch });
    const afterOne = await server.snapshot();
    const second = await server.request("PATCH", `/v1/memories/${id}`, { key, body: patch });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.content).toBe("Standup is at 9:45.");
    expect(await server.snapshot()).toBe(afterOne);

    const removed = await server.request("DELETE", `/v1/memories/${id}`, { key });
    const afterDelete = await server.snapshot();
    const again = await server.request("DELETE", `/v1/memories/${id}`, { key });
    expect(removed.status).toBeLessThan(300);
    expect(again.status).toBe(404);
    expect(await server.snapshot()).toBe(afterDelete);
  });
});
