import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, connectMcpOverHttp } from "../testing/mcp-client.js";
import { startTestServer, type TestServer } from "../testing/test-server.js";

let server: TestServer;
let client: Client;

beforeAll(async () => {
  server = await startTestServer();
  client = await connectMcpOverHttp(server.url, await server.key(["acme"], ["read", "write"]));
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe("MCP tool arguments", () => {
  it("refuses an argument a tool does not know, and stores nothing", async () => {
    const typo = await callTool(client, "remember", {
      namespce: ["users", "alice"],
      content: "Alice prefers tea",
    });
    expect(typo.isError).toBe(true);
    expect(JSON.stringify(typo.value)).toContain("namespce");
    expect((await callTool(client, "list", {})).value.memories).toEqual([]);
  });

  it("lets recall and list keep to one exact namespace, as their descriptions promise", async () => {
    await callTool(client, "remember", { namespace: ["team"], content: "Deploys on Tuesdays" });
    await callTool(client, "remember", {
      namespace: ["team", "alice"],
      content: "Alice deploys on Fridays",
    });
    const recalled = await callTool(client, "recall", { namespace: ["team"], query: "deploys" });
    expect(recalled.value.memories.map((m: { content: string }) => m.content)).toEqual([
      "Deploys on Tuesdays",
    ]);
    const listed = await callTool(client, "list", { namespace: ["team", "alice"] });
    expect(listed.value.memories.map((m: { content: string }) => m.content)).toEqual([
      "Alice deploys on Fridays",
    ]);
  });

  it("dates a memory by when it happened, and refuses a date that is none", async () => {
    const dated = await callTool(client, "remember", {
      namespace: ["history"],
      content: "Bob joined the platform team",
      createdAt: "2023-05-07T10:00:00Z",
    });
    expect(dated.isError).toBe(false);
    const bad = await callTool(client, "remember", {
      namespace: ["history"],
      content: "never stored",
      createdAt: "last spring",
    });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.value)).toContain("createdAt");
    const listed = await callTool(client, "list", { namespace: ["history"] });
    expect(
      listed.value.memories.map((m: { content: string; createdAt: string }) => [
        m.content,
        m.createdAt,
      ]),
    ).toEqual([["Bob joined the platform team", "2023-05-07T10:00:00.000Z"]]);
  });

  it("marks read-only and destructive tools, and closes every input schema", async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ["recall", "get", "list", "context"])
      expect(byName.get(name)?.annotations?.readOnlyHint, name).toBe(true);
    expect(byName.get("forget")?.annotations?.destructiveHint).toBe(true);
    for (const tool of tools) expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
  });
});
