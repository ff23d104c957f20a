import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, connectMcpOverHttp } from "../testing/mcp-client.js";
import { startTestServer, type TestServer } from "../testing/test-server.js";

let server: TestServer;
let client: Client;

beforeAll(async () => {
  server = await startTestServer({ keys: false });
  client = await connectMcpOverHttp(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe("MCP over HTTP without API keys (no root)", () => {
  it("reads everything when a reading tool omits the namespace, even an empty store", async () => {
    expect((await callTool(client, "recall", { query: "tea" })).value).toEqual({ memories: [] });
    expect((await callTool(client, "list", {})).value.memories).toEqual([]);
    await callTool(client, "remember", {
      namespace: ["acme", "alice"],
      content: "Alice likes tea",
    });
    await callTool(client, "remember", { namespace: ["globex"], content: "Globex serves coffee" });
    for (const [tool, args] of [
      ["recall", { query: "what do people drink" }],
      ["list", {}],
    ] as const) {
      const result = await callTool(client, tool, args);
      expect(result.isError, JSON.stringify(result.value)).toBe(false);
      expect(result.value.memories.map((m: { content: string }) => m.content).sort()).toEqual([
        "Alice likes tea",
        "Globex serves coffee",
      ]);
    }
    const context = await callTool(client, "context", { query: "tea" });
    expect(context.value.text).toContain("Alice likes tea");
    expect((await callTool(client, "list_threads", {})).isError).toBe(false);
  });

  it("asks a writing tool for a namespace, saying why", async () => {
    const result = await callTool(client, "remember", { content: "Nowhere to go" });
    expect(result.isError).toBe(true);
    expect(result.value.code).toBe("INVALID_NAMESPACE");
    expect(result.value.message).toMatch(/no root to default to/);
  });
});
