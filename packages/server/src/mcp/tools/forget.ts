import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolResult } from "../tool-result.js";
import { REPLACES } from "./annotations.js";

/** The `forget` tool. */
export function registerForgetTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "forget",
    {
      title: "Forget",
      description: "Delete memories by id. Returns how many were deleted.",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        ids: z
          .array(z.string().min(1).max(64))
          .min(1)
          .max(1000)
          .describe("Ids of memories to delete"),
      }),
    },
    ({ ids }) => toolResult(async () => ({ deleted: await memory.forgetIds(ids) })),
  );
}
