import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { compactMemory } from "../compact-memory.js";
import { toolResult } from "../tool-result.js";
import { READS } from "./annotations.js";

/** The `get` tool. */
export function registerGetTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "get",
    {
      title: "Get a memory",
      description: "Fetch one memory by its id.",
      annotations: READS,
      inputSchema: z.strictObject({ id: z.string().min(1).max(64).describe("The memory's id") }),
    },
    ({ id }) => toolResult(async () => compactMemory(await memory.get(id))),
  );
}
