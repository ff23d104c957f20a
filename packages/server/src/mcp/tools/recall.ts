import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { compactMemory } from "../compact-memory.js";
import { toolResult } from "../tool-result.js";
import { toolExactNamespace, toolFilter, toolNamespace, toolScope } from "../tool-schemas.js";
import { READS } from "./annotations.js";

/** The `recall` tool. */
export function registerRecallTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "recall",
    {
      title: "Recall",
      description:
        "Find the memories most relevant to a question, best first, each with a score in [0, 1]. Searches your root and everything beneath it unless you give a namespace.",
      annotations: READS,
      inputSchema: z.strictObject({
        query: z.string().min(1).max(4096).describe("What you want to know"),
        namespace: toolExactNamespace,
        within: toolNamespace.describe(
          "Search this namespace and everything beneath it (relative to your root). Omit for your whole root.",
        ),
        mode: z
          .enum(["hybrid", "semantic", "keyword"])
          .optional()
          .describe("hybrid (default) fuses meaning and keywords"),
        limit: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe("At most this many, default 10"),
        ...toolFilter,
      }),
    },
    ({ namespace, within, ...options }) =>
      toolResult(async () => {
        const scope = await toolScope(memory, namespace, within);
        if (!scope) return { memories: [] };
        const recalled = await memory.recall({ ...options, ...scope });
        return { memories: recalled.map((found) => compactMemory(found, { times: false })) };
      }),
  );
}
