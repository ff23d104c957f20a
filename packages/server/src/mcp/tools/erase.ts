import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolResult } from "../tool-result.js";
import { toolNamespace } from "../tool-schemas.js";
import { REPLACES } from "./annotations.js";

/** The `erase` tool (admin scope). */
export function registerEraseTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "erase",
    {
      title: "Erase a namespace",
      description:
        "Permanently erase a namespace and everything beneath it: memories, threads, messages and working memory. Cannot be undone; only when the user explicitly asks to erase. Returns the counts.",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        namespace: toolNamespace.describe("The subtree to erase, beneath your root"),
      }),
    },
    ({ namespace }) => toolResult(() => memory.erase(namespace ?? [])),
  );
}
