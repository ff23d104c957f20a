import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, connectMcpOverHttp } from "../testing/mcp-client.js";
import { startTestServer, type TestServer } from "../testing/test-server.js";

let server: TestServer;
let client: Client;

beforeAll(async () => {
  server = await startTestServer();
  client = await connectMcpOverHttp(
    server.url,
    await server.key(["acme"], ["read", "write", "admin"]),
  );
});
afterAll(async () => {
  await client.close();
  await server.close();
});

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/** Every property beneath a JSON Schema node that has no description, as paths. */
function undescribed(node: SchemaNode, path: string): string[] {
  const found: string[] = [];
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    if (!property.description) found.push(`${path}.${name}`);
    found.push(...undescribed(property, `${path}.${name}`));
  }
  if (node.items) found.push(...undescribed(node.items, `${path}[]`));
  for (const option of node.anyOf ?? []) found.push(...undescribed(option, path));
  return found;
}

const READ_ONLY = [
  "context",
  "get",
  "get_messages",
  "get_thread",
  "get_working_memory",
  "list",
  "list_threads",
  "read_messages",
  "recall",
];
const DESTRUCTIVE = [
  "delete_messages",
  "delete_thread",
  "erase",
  "forget",
  "set_working_memory",
  "update",
  "update_message",
  "update_thread",
  "update_working_memory",
];

describe("MCP tools as a model sees them", () => {
  it("describe every input field, nested ones included", async () => {
    const { tools } = await client.listTools();
    expect(tools.flatMap((tool) => undescribed(tool.inputSchema as SchemaNode, tool.name))).toEqual(
      [],
    );
  });

  it("carry readOnlyHint, destructiveHint and idempotentHint where they hold", async () => {
    const { tools } = await client.listTools();
    for (const tool of tools) {
      const hints = tool.annotations ?? {};
      expect(hints.openWorldHint, tool.name).toBe(false);
      if (READ_ONLY.includes(tool.name)) {
        expect(hints.readOnlyHint, tool.name).toBe(true);
        continue;
      }
      // A tool that writes must say whether it destroys: MCP's default for a writer is "yes".
      expect(hints.readOnlyHint, tool.name).toBe(false);
      expect(hints.destructiveHint, tool.name).toBe(DESTRUCTIVE.includes(tool.name));
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool.annotations]));
    for (const name of ["forget", "erase", "update", "delete_messages", "ingest"])
      expect(byName.get(name)?.idempotentHint, name).toBe(true);
    for (const name of ["remember", "append_messages", "create_thread", "clone_thread"])
      expect(byName.get(name)?.idempotentHint, name).toBeUndefined();
  });

  it("return memories without hashes, embedding details or counters", async () => {
    const stored = await callTool(client, "remember", {
      namespace: ["team"],
      content: "Deploys happen on Tuesdays",
      key: "deploys",
      tags: ["ops"],
    });
    expect(stored.value).toEqual({
      status: "created",
      id: expect.any(String),
      namespace: ["team"],
      key: "deploys",
    });
    const id = stored.value.id;
    const recalled = await callTool(client, "recall", { query: "when do we deploy" });
    expect(recalled.value.memories).toEqual([
      {
        id,
        namespace: ["team"],
        content: "Deploys happen on Tuesdays",
        kind: "fact",
        key: "deploys",
        tags: ["ops"],
        score: expect.any(Number),
      },
    ]);
    const got = await callTool(client, "get", { id });
    expect(Object.keys(got.value).sort()).toEqual(
      ["content", "id", "key", "kind", "namespace", "tags", "updatedAt"].sort(),
    );
    const updated = await callTool(client, "update", { id, pinned: true, importance: 0.9 });
    expect(updated.value).toMatchObject({ pinned: true, importance: 0.9 });
    const listed = await callTool(client, "list", {});
    const text = JSON.stringify(listed.value);
    for (const internal of ["contentHash", "embedding", "accessCount", "lastAccessedAt"])
      expect(text).not.toContain(internal);
    // The same memory in the REST API keeps every field.
    const rest = await server.request("GET", `/v1/memories/${id}`, {
      key: await server.key(["acme"]),
    });
    expect(rest.body).toHaveProperty("contentHash");
    // A remembered duplicate says which memory holds the content.
    const again = await callTool(client, "remember", {
      namespace: ["team"],
      content: "Deploys happen on Tuesdays",
      key: "deploys",
      tags: ["ops"],
    });
    expect(again.value).toMatchObject({ status: "updated", id });
  });
});
