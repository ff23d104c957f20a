import type { Candidate } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolConversationId, toolThreadAddress } from "../conversation-tool-schemas.js";
import { toolResult } from "../tool-result.js";
import {
  toolImportance,
  toolKind,
  toolMetadata,
  toolNamespace,
  toolTags,
} from "../tool-schemas.js";
import { ADDS_ONCE } from "./annotations.js";

/** The `ingest` tool. */
export function registerIngestTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "ingest",
    {
      title: "Ingest a thread",
      description:
        "Turn a thread's messages not yet ingested into long-term memories. Give the facts you found in them as candidates; without candidates each new user message is kept as an episode. Duplicates of existing memories are skipped. Safe to call twice.",
      annotations: ADDS_ONCE,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        into: toolNamespace.describe("Where memories go; default the thread's namespace"),
        candidates: z
          .array(
            z.object({
              content: z
                .string()
                .min(1)
                .max(32_000)
                .describe("The fact as a self-contained sentence"),
              kind: toolKind.optional(),
              tags: toolTags.optional(),
              importance: toolImportance.optional(),
              metadata: toolMetadata.optional(),
              messageIds: z
                .array(toolConversationId)
                .max(1000)
                .optional()
                .describe("The messages it came from; default all the new ones"),
            }),
          )
          .max(1000)
          .optional()
          .describe("Facts you found in the new messages; omit to keep each user message"),
      }),
    },
    ({ candidates, ...options }) =>
      toolResult(() =>
        memory.conversations.ingest({
          ...options,
          candidates: candidates as Candidate[] | undefined,
        }),
      ),
  );
}
