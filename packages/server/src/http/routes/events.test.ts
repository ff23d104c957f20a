import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../testing/test-server.js";

let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer();
  key = await server.key(["acme"]);
});
afterAll(() => server.close());

/** Reads SSE frames until `count` events arrived, then aborts. */
async function readEvents(path: string, count: number, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${key}`, ...headers },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const events: { id: string; event: string; data: any }[] = [];
  return {
    async take() {
      while (events.length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        const frames = text.split("\n\n");
        text = frames.pop()!;
        for (const frame of frames) {
          const fields = Object.fromEntries(
            frame
              .split("\n")
              .filter((line) => !line.startsWith(":") && line.includes(":"))
              .map((line) => [
                line.slice(0, line.indexOf(":")),
                line.slice(line.indexOf(":") + 1).trim(),
              ]),
          );
          if (fields.data)
            events.push({
              id: fields.id ?? "",
              event: fields.event ?? "",
              data: JSON.parse(fields.data),
            });
        }
      }
      controller.abort();
      return events;
    },
  };
}

describe("GET /v1/events", () => {
  it("streams changes in a subtree and resumes after Last-Event-ID", async () => {
    const live = await readEvents("/v1/events?within=team", 3);
    const created = await server.request("POST", "/v1/memories", {
      key,
      body: { namespace: ["team"], content: "first" },
    });
    await server.request("POST", "/v1/memories", {
      key,
      body: { namespace: ["elsewhere"], content: "no" },
    });
    await server.request("PATCH", `/v1/memories/${created.body.id}`, {
      key,
      body: { content: "first, edited" },
    });
    await server.request("DELETE", `/v1/memories/${created.body.id}`, { key });
    const events = await live.take();
    expect(events.map((event) => event.event)).toEqual(["created", "updated", "deleted"]);
    expect(events[0]!.data).toMatchObject({ memoryId: created.body.id, namespace: ["team"] });

    const resumed = await readEvents("/v1/events?within=team", 2, {
      "last-event-id": events[0]!.id,
    });
    expect((await resumed.take()).map((event) => event.event)).toEqual(["updated", "deleted"]);
  });

  it("rejects a scope outside the root before streaming", async () => {
    const response = await server.request("GET", "/v1/events?within=..", { key });
    expect(response.status).toBe(400);
  });
});
