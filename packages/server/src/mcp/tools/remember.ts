import type { JsonObject } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { compactRemembered } from "../compact-memory.js";
import { toolResult } from "../tool-result.js";
import {
  toolImportance,
  toolKind,
  toolMetadata,
  toolNamespace,
  toolPinned,
  toolTags,
} from "../tool-schemas.js";
import { ADDS } from "./annotations.js";

/** The `remember` tool. */
export function registerRememberTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "remember",
    {
      title: "Remember",
      description:
        "Store a memory (a fact, preference, episode, task or feedback) so it can be recalled later by meaning. Give a `key` to update that memory in place next time instead of adding a new one.",
      annotations: ADDS,
      inputSchema: z.strictObject({
        content: z
          .string()
          .min(1)
          .max(32_000)
          .describe("What to remember, as a self-contained sentence"),
        namespace: toolNamespace,
        kind: toolKind.optional(),
        key: z
          .string()
          .min(1)
          .max(256)
          .optional()
          .describe("A stable key; the same key updates in place"),
        tags: toolTags.optional(),
        metadata: toolMetadata.optional(),
        importance: toolImportance.optional(),
        pinned: toolPinned.optional(),
        createdAt: z
          .string()
          .max(64)
          .optional()
          .describe(
            "When what this memory records happened (ISO 8601, e.g. 2023-05-07), if not now: recall reads it for questions about time",
          ),
      }),
    },
    (input) =>
      toolResult(async () => {
        const [result] = await memory.remember([
          { ...input, metadata: input.metadata as JsonObject | undefined },
        ]);
        return compactRemembered(result!);
      }),
  );
}
