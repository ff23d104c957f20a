import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, connectMcpOverHttp } from "../testing/mcp-client.js";
import { assertBuilt, CLI_PATH } from "../testing/run-cli.js";
import { startTestServer, type TestServer } from "../testing/test-server.js";

const TOOLS = ["context", "forget", "get", "list", "recall", "remember", "update"];

async function exerciseTools(client: Client) {
  const tools = await client.listTools();
  expect(tools.tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
  for (const tool of tools.tools) {
    expect(tool.description?.length).toBeGreaterThan(20);
    expect(tool.inputSchema.type).toBe("object");
  }
  const remembered = await callTool(client, "remember", {
    content: "The staging cluster runs in eu-west-1",
    kind: "fact",
    key: "staging-region",
  });
  expect(remembered.isError).toBe(false);
  expect(remembered.value.status).toBe("created");
  const id = remembered.value.id;
  const recalled = await callTool(client, "recall", { query: "where does staging run" });
  expect(recalled.value.memories[0].id).toBe(id);
  expect((await callTool(client, "get", { id })).value.content).toContain("eu-west-1");
  const updated = await callTool(client, "update", { id, content: "Staging runs in eu-central-1" });
  expect(updated.value.content).toContain("eu-central-1");
  expect((await callTool(client, "list", {})).value.memories).toHaveLength(1);
  const context = await callTool(client, "context", { query: "staging", maxTokens: 200 });
  expect(context.value.text).toContain("eu-central-1");
  expect((await callTool(client, "forget", { ids: [id] })).value).toEqual({ deleted: 1 });
  // Failures are tool errors carrying the EngramError, never crashes.
  const missing = await callTool(client, "get", { id });
  expect(missing.isError).toBe(true);
  expect(missing.value.code).toBe("NOT_FOUND");
  const invalid = await callTool(client, "remember", { content: "x", kind: "Not A Kind!" });
  expect(invalid.isError).toBe(true);
  const schema = await client.callTool({ name: "recall", arguments: { query: 42 } });
  expect(schema.isError).toBe(true);
}

describe("MCP over Streamable HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("serves every tool with the key's root as the default namespace", async () => {
    const key = await server.key(["acme", "agents", "planner"]);
    const client = await connectMcpOverHttp(server.url, key);
    try {
      await exerciseTools(client);
      const page = await server.memory.list({ within: ["acme"], limit: 10 });
      expect(page.memories).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("refuses a client without a valid key", async () => {
    await expect(connectMcpOverHttp(server.url, "engram_0000000000000000_nope")).rejects.toThrow();
    const response = await fetch(`${server.url}/mcp`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
  });
});

describe("MCP over stdio (engram mcp)", () => {
  let directory: string;
  beforeAll(async () => {
    assertBuilt();
    directory = await mkdtemp(join(tmpdir(), "engram-mcp-"));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it("runs the built CLI and confines tools to --namespace", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, "mcp", "--namespace", "acme/desktop", "--data", join(directory, "m.db")],
      env: { ...(process.env as Record<string, string>), ENGRAM_EMBEDDER: "test" },
      stderr: "pipe",
    });
    const client = new Client({ name: "engram-test", version: "0.0.0" });
    await client.connect(transport);
    try {
      await exerciseTools(client);
      const outside = await callTool(client, "list", { within: [".."] });
      expect(outside.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});
