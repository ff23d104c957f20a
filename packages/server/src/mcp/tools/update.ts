import type { JsonObject } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { compactMemory } from "../compact-memory.js";
import { toolResult } from "../tool-result.js";
import { toolImportance, toolKind, toolMetadata, toolPinned, toolTags } from "../tool-schemas.js";
import { REPLACES } from "./annotations.js";

/** The `update` tool. */
export function registerUpdateTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "update",
    {
      title: "Update a memory",
      description:
        "Change fields of an existing memory by id. Only the fields you give change; metadata is replaced as a whole.",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        id: z.string().min(1).max(64).describe("The memory's id"),
        content: z
          .string()
          .min(1)
          .max(32_000)
          .optional()
          .describe("The new text, as a self-contained sentence (it is re-embedded)"),
        kind: toolKind.optional(),
        tags: toolTags.optional().describe("Replaces all the tags"),
        metadata: toolMetadata.optional().describe("Replaces the whole metadata object"),
        importance: toolImportance.optional(),
        pinned: toolPinned.optional(),
      }),
    },
    ({ id, ...patch }) =>
      toolResult(async () =>
        compactMemory(
          await memory.update(id, { ...patch, metadata: patch.metadata as JsonObject | undefined }),
        ),
      ),
  );
}
