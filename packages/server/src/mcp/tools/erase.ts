import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolResult } from "../tool-result.js";
import { toolNamespace } from "../tool-schemas.js";

/** The `erase` tool (admin scope). */
export function registerEraseTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "erase",
    {
      title: "Erase a namespace",
      description:
        "Permanently erase a namespace and everything beneath it: memories, threads, messages and working memory. Needs an admin key. Returns the counts.",
      inputSchema: { namespace: toolNamespace.describe("The subtree to erase, beneath your root") },
    },
    ({ namespace }) => toolResult(() => memory.erase(namespace ?? [])),
  );
}
