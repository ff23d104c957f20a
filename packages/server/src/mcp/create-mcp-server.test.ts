import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, connectMcpOverHttp } from "../testing/mcp-client.js";
import { assertBuilt, CLI_PATH } from "../testing/run-cli.js";
import { startTestServer, type TestServer } from "../testing/test-server.js";

const TOOLS = [
  "append_messages",
  "clone_thread",
  "context",
  "create_thread",
  "delete_messages",
  "delete_thread",
  "forget",
  "get",
  "get_messages",
  "get_thread",
  "get_working_memory",
  "ingest",
  "list",
  "list_threads",
  "read_messages",
  "recall",
  "remember",
  "set_working_memory",
  "update",
  "update_message",
  "update_thread",
  "update_working_memory",
];

/** Every tool works; `erase` is offered only to an admin. */
async function exerciseTools(client: Client, admin: boolean) {
  const tools = await client.listTools();
  expect(tools.tools.map((tool) => tool.name).sort()).toEqual(
    admin ? [...TOOLS, "erase"].sort() : TOOLS,
  );
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

/** The conversation tools, in a namespace of their own; an admin erases it after. */
async function exerciseConversationTools(client: Client, admin: boolean) {
  const ok = async (name: string, args: Record<string, unknown>) => {
    const result = await callTool(client, name, args);
    expect(result.isError, `${name}: ${JSON.stringify(result.value)}`).toBe(false);
    return result.value;
  };
  const address = { namespace: ["chat"], threadId: "t1" };
  expect(
    await ok("create_thread", { namespace: ["chat"], id: "t1", title: "Plans" }),
  ).toMatchObject({ id: "t1", namespace: ["chat"], title: "Plans" });
  const appended = await ok("append_messages", {
    ...address,
    messages: [
      { id: "m1", role: "user", content: "I moved to Lisbon" },
      { id: "m2", role: "assistant", content: "Nice" },
    ],
  });
  expect(appended.messages).toHaveLength(2);
  expect((await ok("read_messages", { ...address, last: 1 })).messages[0].id).toBe("m2");
  expect((await ok("get_messages", { ...address, ids: ["m1", "nope"] })).messages).toEqual([
    expect.objectContaining({ id: "m1" }),
    null,
  ]);
  expect((await ok("update_message", { ...address, id: "m2", content: "Very nice" })).content).toBe(
    "Very nice",
  );
  expect((await ok("get_thread", address)).messageCount).toBe(2);
  expect((await ok("update_thread", { ...address, title: null })).title).toBeNull();
  expect((await ok("list_threads", { within: ["chat"] })).threads).toHaveLength(1);
  const clone = await ok("clone_thread", { ...address, toId: "t2", last: 1, keepMessageIds: true });
  expect(clone).toMatchObject({ id: "t2", namespace: ["chat"], messageCount: 1 });
  expect(await ok("delete_messages", { namespace: ["chat"], threadId: "t2", ids: ["m2"] })).toEqual(
    { deleted: 1 },
  );
  expect(await ok("delete_thread", { namespace: ["chat"], threadId: "t2" })).toEqual({
    deleted: true,
  });
  expect(
    (await ok("set_working_memory", { namespace: ["chat"], content: { city: "Lisbon" } })).version,
  ).toBe(1);
  await ok("update_working_memory", { namespace: ["chat"], patch: { pet: "cat" }, version: 1 });
  expect((await ok("get_working_memory", { namespace: ["chat"] })).content).toEqual({
    city: "Lisbon",
    pet: "cat",
  });
  const stale = await callTool(client, "update_working_memory", {
    namespace: ["chat"],
    patch: { pet: "dog" },
    version: 1,
  });
  expect(stale.isError).toBe(true);
  expect(stale.value.code).toBe("CONFLICT");
  const ingested = await ok("ingest", {
    ...address,
    candidates: [{ content: "The user lives in Lisbon", kind: "fact", messageIds: ["m1"] }],
  });
  expect(ingested.decisions).toEqual([expect.objectContaining({ action: "add" })]);
  const context = await ok("context", { thread: address, workingMemory: true, maxTokens: 300 });
  expect(context.text).toContain("Lisbon");
  expect(context.text).toContain("pet");
  expect(context.ids).toEqual([ingested.decisions[0].memoryId]);
  const missing = await callTool(client, "get_thread", { namespace: ["chat"], threadId: "t2" });
  expect(missing.isError).toBe(true);
  expect(missing.value.code).toBe("NOT_FOUND");
  if (admin) {
    expect(await ok("erase", { namespace: ["chat"] })).toEqual({
      deleted: 1,
      memories: 1,
      threads: 1,
      messages: 2,
      workingMemories: 1,
      attached: {},
    });
  }
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
      await exerciseTools(client, false);
      const page = await server.memory.list({ within: ["acme"], limit: 10 });
      expect(page.memories).toEqual([]);
      await exerciseConversationTools(client, false);
      const threads = await server.memory.threads.list({ within: ["acme", "agents", "planner"] });
      expect(threads.threads.map((thread) => thread.namespace)).toEqual([
        ["acme", "agents", "planner", "chat"],
      ]);
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
      args: [
        CLI_PATH,
        "mcp",
        "--namespace",
        "acme/desktop",
        "--allow-erase",
        "--data",
        join(directory, "m.db"),
      ],
      env: { ...(process.env as Record<string, string>), ENGRAM_EMBEDDER: "test" },
      stderr: "pipe",
    });
    const client = new Client({ name: "engram-test", version: "0.0.0" });
    await client.connect(transport);
    try {
      await exerciseTools(client, true);
      await exerciseConversationTools(client, true);
      const outside = await callTool(client, "list", { within: [".."] });
      expect(outside.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});
