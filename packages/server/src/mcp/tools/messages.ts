import type { JsonObject, MessageContent, MessageInput } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import {
  toolConversationId,
  toolJsonObject,
  toolMessageContent,
  toolRole,
  toolThreadAddress,
} from "../conversation-tool-schemas.js";
import { toolResult } from "../tool-result.js";
import { ADDS, READS, REPLACES } from "./annotations.js";

/** The message tools: `append_messages`, `read_messages`, `get_messages`, `update_message`, `delete_messages`. */
export function registerMessageTools(server: McpServer, memory: ConfinedMemory): void {
  const { conversations } = memory;
  server.registerTool(
    "append_messages",
    {
      title: "Append messages",
      description:
        "Add messages to a thread (created if missing), all or none. A message id that exists is skipped, so retries are safe.",
      annotations: ADDS,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        messages: z
          .array(
            z.object({
              id: toolConversationId
                .optional()
                .describe("The message's id; give one to make retries safe"),
              role: toolRole,
              content: toolMessageContent,
              metadata: toolJsonObject.optional(),
            }),
          )
          .min(1)
          .max(1000)
          .describe("The messages, oldest first (at most 1000)"),
      }),
    },
    ({ messages, ...address }) =>
      toolResult(async () => ({
        messages: await conversations.appendMessages({
          ...address,
          messages: messages as MessageInput[],
        }),
      })),
  );
  server.registerTool(
    "read_messages",
    {
      title: "Read messages",
      description:
        "Read a window of a thread, oldest first: the last n (default 50), a page before or after a message id, or a time range.",
      annotations: READS,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        last: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .optional()
          .describe("The newest this many messages (default 50)"),
        before: toolConversationId.optional().describe("Older than this message id"),
        after: toolConversationId.optional().describe("Newer than this message id"),
        from: z.string().max(64).optional().describe("ISO-8601: created at or after"),
        to: z.string().max(64).optional().describe("ISO-8601: created before"),
        limit: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .optional()
          .describe("At most this many, with before, after, from or to"),
        roles: z.array(toolRole).min(1).max(4).optional().describe("Only messages by these roles"),
      }),
    },
    (options) => toolResult(() => conversations.listMessages(options)),
  );
  server.registerTool(
    "get_messages",
    {
      title: "Get messages",
      description: "Fetch messages of a thread by id; null where there is none.",
      annotations: READS,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        ids: z.array(toolConversationId).min(1).max(1000).describe("The messages' ids"),
      }),
    },
    (input) => toolResult(async () => ({ messages: await conversations.getMessages(input) })),
  );
  server.registerTool(
    "update_message",
    {
      title: "Update a message",
      description: "Change a message's content, role or metadata (replaced as a whole).",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        id: toolConversationId.describe("The message's id"),
        content: toolMessageContent.optional(),
        role: toolRole.optional(),
        metadata: toolJsonObject.optional().describe("Replaces the whole metadata object"),
      }),
    },
    (input) =>
      toolResult(() =>
        conversations.updateMessage({
          ...input,
          content: input.content as MessageContent | undefined,
          metadata: input.metadata as JsonObject | undefined,
        }),
      ),
  );
  server.registerTool(
    "delete_messages",
    {
      title: "Delete messages",
      description: "Delete messages of a thread by id. Returns how many were deleted.",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        ids: z.array(toolConversationId).min(1).max(1000).describe("Ids of the messages to delete"),
      }),
    },
    (input) => toolResult(async () => ({ deleted: await conversations.deleteMessages(input) })),
  );
}
