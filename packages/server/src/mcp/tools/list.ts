import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { compactMemory } from "../compact-memory.js";
import { toolResult } from "../tool-result.js";
import { toolExactNamespace, toolFilter, toolNamespace, toolScope } from "../tool-schemas.js";
import { READS } from "./annotations.js";

/** The `list` tool. */
export function registerListTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "list",
    {
      title: "List memories",
      description:
        "List memories newest first in a namespace and everything beneath it. Pass nextCursor back as cursor for the next page.",
      annotations: READS,
      inputSchema: z.strictObject({
        namespace: toolExactNamespace,
        within: toolNamespace,
        limit: z.number().int().min(1).max(200).optional().describe("Page size, default 50"),
        cursor: z
          .string()
          .max(200)
          .optional()
          .describe("The nextCursor of the previous page, to get the next one"),
        ...toolFilter,
      }),
    },
    ({ namespace, within, ...options }) =>
      toolResult(async () => {
        const scope = await toolScope(memory, namespace, within);
        if (!scope) return { memories: [], nextCursor: null };
        const page = await memory.list({ ...options, ...scope });
        return { ...page, memories: page.memories.map((listed) => compactMemory(listed)) };
      }),
  );
}
