import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ConfinedMemory } from "../tenancy/confine-memory.js";
import { registerContextTool } from "./tools/context.js";
import { registerForgetTool } from "./tools/forget.js";
import { registerGetTool } from "./tools/get.js";
import { registerListTool } from "./tools/list.js";
import { registerRecallTool } from "./tools/recall.js";
import { registerRememberTool } from "./tools/remember.js";
import { registerUpdateTool } from "./tools/update.js";

/** An MCP server whose tools act on one caller's confined memory. */
export function createMcpServer(memory: ConfinedMemory): McpServer {
  const server = new McpServer(
    { name: "engram", version: "0.0.0" },
    {
      instructions:
        "Engram is your long-term memory. Use `recall` before answering questions that may depend on what you learned earlier, and `remember` to keep durable facts, preferences and decisions.",
    },
  );
  registerRememberTool(server, memory);
  registerRecallTool(server, memory);
  registerGetTool(server, memory);
  registerUpdateTool(server, memory);
  registerForgetTool(server, memory);
  registerListTool(server, memory);
  registerContextTool(server, memory);
  return server;
}
