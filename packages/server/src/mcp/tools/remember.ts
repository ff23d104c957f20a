import type { JsonObject } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolResult } from "../tool-result.js";
import { toolNamespace } from "../tool-schemas.js";

/** The `remember` tool. */
export function registerRememberTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "remember",
    {
      title: "Remember",
      description:
        "Store a memory (a fact, preference, episode, task or feedback) so it can be recalled later by meaning. Give a `key` to update that memory in place next time instead of adding a new one.",
      annotations: { readOnlyHint: false, destructiveHint: false },
      inputSchema: z.strictObject({
        content: z
          .string()
          .min(1)
          .max(32_000)
          .describe("What to remember, as a self-contained sentence"),
        namespace: toolNamespace,
        kind: z
          .string()
          .max(64)
          .optional()
          .describe(
            "preference, fact (default), episode, task, feedback, or a lowercase custom kind",
          ),
        key: z
          .string()
          .min(1)
          .max(256)
          .optional()
          .describe("A stable key; the same key updates in place"),
        tags: z.array(z.string().max(64)).max(64).optional(),
        metadata: z.record(z.string(), z.unknown()).optional().describe("Any JSON object"),
        importance: z.number().min(0).max(1).optional().describe("0..1, default 0.5"),
        pinned: z.boolean().optional(),
      }),
    },
    (input) =>
      toolResult(async () => {
        const [result] = await memory.remember([
          { ...input, metadata: input.metadata as JsonObject | undefined },
        ]);
        return result;
      }),
  );
}
