import type { JsonObject } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolConversationId, toolJsonObject } from "../conversation-tool-schemas.js";
import { toolResult } from "../tool-result.js";
import { toolNamespace } from "../tool-schemas.js";
import { READS, REPLACES } from "./annotations.js";

const address = {
  namespace: toolNamespace,
  threadId: toolConversationId
    .optional()
    .describe("A thread's own working memory rather than the namespace's"),
};

const version = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe("Write only if the stored version is still this one (0: none yet); else CONFLICT");

/** The working-memory tools: `get_working_memory`, `set_working_memory`, `update_working_memory`. */
export function registerWorkingMemoryTools(server: McpServer, memory: ConfinedMemory): void {
  const { conversations } = memory;
  server.registerTool(
    "get_working_memory",
    {
      title: "Get working memory",
      description:
        "Read the small working-memory document (a profile, running notes) of a namespace or a thread, with its version.",
      annotations: READS,
      inputSchema: z.strictObject(address),
    },
    (input) => toolResult(() => conversations.getWorkingMemory(input)),
  );
  server.registerTool(
    "set_working_memory",
    {
      title: "Set working memory",
      description: "Replace the working-memory document: a JSON object or a text.",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        ...address,
        content: z
          .union([toolJsonObject, z.string().max(256_000)])
          .describe("The whole new document: a JSON object or a text"),
        version,
      }),
    },
    (input) =>
      toolResult(() =>
        conversations.replaceWorkingMemory({
          ...input,
          content: input.content as JsonObject | string,
        }),
      ),
  );
  server.registerTool(
    "update_working_memory",
    {
      title: "Update working memory",
      description:
        "Merge fields into the working-memory document (JSON merge patch: null removes a field, objects merge). Concurrent updates never lose each other's fields.",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        ...address,
        patch: toolJsonObject.describe("Fields to set; null removes a field, objects merge"),
        version,
      }),
    },
    (input) =>
      toolResult(() =>
        conversations.patchWorkingMemory({ ...input, patch: input.patch as JsonObject }),
      ),
  );
}
