import type { JsonObject } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolResult } from "../tool-result.js";

/** The `update` tool. */
export function registerUpdateTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "update",
    {
      title: "Update a memory",
      description:
        "Change fields of an existing memory by id. Only the fields you give change; metadata is replaced as a whole.",
      annotations: { readOnlyHint: false, destructiveHint: true },
      inputSchema: z.strictObject({
        id: z.string().min(1).max(64).describe("The memory's id"),
        content: z.string().min(1).max(32_000).optional(),
        kind: z.string().max(64).optional(),
        tags: z.array(z.string().max(64)).max(64).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
        importance: z.number().min(0).max(1).optional(),
        pinned: z.boolean().optional(),
      }),
    },
    ({ id, ...patch }) =>
      toolResult(() =>
        memory.update(id, { ...patch, metadata: patch.metadata as JsonObject | undefined }),
      ),
  );
}
