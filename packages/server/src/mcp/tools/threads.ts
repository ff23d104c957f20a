import type { JsonObject } from "@engram/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import {
  toolConversationId,
  toolJsonObject,
  toolThreadAddress,
} from "../conversation-tool-schemas.js";
import { toolResult } from "../tool-result.js";
import { toolNamespace } from "../tool-schemas.js";

/** The thread tools: `create_thread`, `get_thread`, `update_thread`, `delete_thread`, `list_threads`, `clone_thread`. */
export function registerThreadTools(server: McpServer, memory: ConfinedMemory): void {
  const { conversations } = memory;
  server.registerTool(
    "create_thread",
    {
      title: "Create a thread",
      description: "Start a conversation thread in a namespace. Omit id to get a generated one.",
      inputSchema: {
        namespace: toolNamespace,
        id: toolConversationId.optional(),
        title: z.string().max(1000).optional(),
        metadata: toolJsonObject.optional(),
      },
    },
    (input) =>
      toolResult(() =>
        conversations.createThread({
          ...input,
          metadata: input.metadata as JsonObject | undefined,
        }),
      ),
  );
  server.registerTool(
    "get_thread",
    {
      title: "Get a thread",
      description: "Fetch a thread (title, metadata, message count, summary) by namespace and id.",
      inputSchema: toolThreadAddress,
    },
    (address) => toolResult(() => conversations.getThread(address)),
  );
  server.registerTool(
    "update_thread",
    {
      title: "Update a thread",
      description: "Change a thread's title (null clears it) or replace its metadata.",
      inputSchema: {
        ...toolThreadAddress,
        title: z.string().max(1000).nullable().optional(),
        metadata: toolJsonObject.optional(),
      },
    },
    (input) =>
      toolResult(() =>
        conversations.updateThread({
          ...input,
          metadata: input.metadata as JsonObject | undefined,
        }),
      ),
  );
  server.registerTool(
    "delete_thread",
    {
      title: "Delete a thread",
      description: "Delete a thread with its messages, summary and working memory.",
      inputSchema: toolThreadAddress,
    },
    (address) =>
      toolResult(async () => {
        await conversations.deleteThread(address);
        return { deleted: true };
      }),
  );
  server.registerTool(
    "list_threads",
    {
      title: "List threads",
      description:
        "List threads in a namespace and beneath it, newest activity first. Pass nextCursor back as cursor for the next page.",
      inputSchema: {
        within: toolNamespace,
        metadata: z
          .record(z.string().max(128), z.union([z.string(), z.number(), z.boolean(), z.null()]))
          .optional()
          .describe("Top-level metadata fields that must equal these values"),
        limit: z.number().int().min(1).max(1000).optional().describe("Page size, default 50"),
        cursor: z.string().max(600).optional(),
      },
    },
    ({ within, ...options }) =>
      toolResult(() => conversations.listThreads({ ...options, within: within ?? [] })),
  );
  server.registerTool(
    "clone_thread",
    {
      title: "Clone a thread",
      description:
        "Copy a thread and its messages (all, the newest `last`, or some by id) to a new thread, e.g. to branch a conversation.",
      inputSchema: {
        ...toolThreadAddress,
        toNamespace: toolNamespace.describe("Where the copy goes; default the same namespace"),
        toId: toolConversationId.optional(),
        title: z.string().max(1000).optional(),
        last: z.number().int().min(1).max(100_000).optional(),
        messageIds: z.array(toolConversationId).max(1000).optional(),
        keepMessageIds: z
          .boolean()
          .optional()
          .describe("Keep the messages' ids rather than giving the copies new ones"),
      },
    },
    ({ toNamespace, toId, title, ...input }) =>
      toolResult(() =>
        conversations.cloneThread({
          ...input,
          to: { namespace: toNamespace, id: toId, title },
        }),
      ),
  );
}
