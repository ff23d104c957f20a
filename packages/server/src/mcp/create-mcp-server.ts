import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ConfinedMemory } from "../tenancy/confine-memory.js";
import { registerContextTool } from "./tools/context.js";
import { registerEraseTool } from "./tools/erase.js";
import { registerForgetTool } from "./tools/forget.js";
import { registerGetTool } from "./tools/get.js";
import { registerIngestTool } from "./tools/ingest.js";
import { registerListTool } from "./tools/list.js";
import { registerMessageTools } from "./tools/messages.js";
import { registerRecallTool } from "./tools/recall.js";
import { registerRememberTool } from "./tools/remember.js";
import { registerThreadTools } from "./tools/threads.js";
import { registerUpdateTool } from "./tools/update.js";
import { registerWorkingMemoryTools } from "./tools/working-memory.js";

export interface McpServerOptions {
  /**
   * Offer the destructive `erase` tool. Default: when the caller's key has the admin scope.
   * `engram mcp` passes false unless started with `--allow-erase`.
   */
  erase?: boolean;
}

/** An MCP server whose tools act on one caller's confined memory. */
export function createMcpServer(memory: ConfinedMemory, options: McpServerOptions = {}): McpServer {
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
  registerThreadTools(server, memory);
  registerMessageTools(server, memory);
  registerWorkingMemoryTools(server, memory);
  registerIngestTool(server, memory);
  // Only keys that may erase see the tool, so a read/write agent is never offered it.
  const admin = memory.principal.scopes.includes("admin");
  if (admin && (options.erase ?? true)) registerEraseTool(server, memory);
  return server;
}
