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
import { toolNamespace, toolScope } from "../tool-schemas.js";
import { ADDS, READS, REPLACES } from "./annotations.js";

/** The thread tools: `create_thread`, `get_thread`, `update_thread`, `delete_thread`, `list_threads`, `clone_thread`. */
export function registerThreadTools(server: McpServer, memory: ConfinedMemory): void {
  const { conversations } = memory;
  server.registerTool(
    "create_thread",
    {
      title: "Create a thread",
      description: "Start a conversation thread in a namespace. Omit id to get a generated one.",
      annotations: ADDS,
      inputSchema: z.strictObject({
        namespace: toolNamespace,
        id: toolConversationId.optional().describe("The thread's id; omit to get a generated one"),
        title: z
          .string()
          .max(1000)
          .optional()
          .describe("A short title for people browsing threads"),
        metadata: toolJsonObject.optional().describe("Any JSON object; list_threads filters on it"),
      }),
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
      annotations: READS,
      inputSchema: z.strictObject(toolThreadAddress),
    },
    (address) => toolResult(() => conversations.getThread(address)),
  );
  server.registerTool(
    "update_thread",
    {
      title: "Update a thread",
      description: "Change a thread's title (null clears it) or replace its metadata.",
      annotations: REPLACES,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        title: z.string().max(1000).nullable().optional().describe("The new title; null clears it"),
        metadata: toolJsonObject.optional().describe("Replaces the whole metadata object"),
      }),
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
      annotations: REPLACES,
      inputSchema: z.strictObject(toolThreadAddress),
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
      annotations: READS,
      inputSchema: z.strictObject({
        within: toolNamespace,
        metadata: z
          .record(z.string().max(128), z.union([z.string(), z.number(), z.boolean(), z.null()]))
          .optional()
          .describe("Top-level metadata fields that must equal these values"),
        limit: z.number().int().min(1).max(1000).optional().describe("Page size, default 50"),
        cursor: z
          .string()
          .max(600)
          .optional()
          .describe("The nextCursor of the previous page, to get the next one"),
      }),
    },
    ({ within, ...options }) =>
      toolResult(async () => {
        const scope = await toolScope(memory, undefined, within);
        if (!scope) return { threads: [], nextCursor: null };
        return conversations.listThreads({ ...options, ...scope });
      }),
  );
  server.registerTool(
    "clone_thread",
    {
      title: "Clone a thread",
      description:
        "Copy a thread and its messages (all, the newest `last`, or some by id) to a new thread, e.g. to branch a conversation.",
      annotations: ADDS,
      inputSchema: z.strictObject({
        ...toolThreadAddress,
        toNamespace: toolNamespace.describe("Where the copy goes; default the same namespace"),
        toId: toolConversationId.optional().describe("The copy's id; omit to get a generated one"),
        title: z.string().max(1000).optional().describe("The copy's title; default the original's"),
        last: z
          .number()
          .int()
          .min(1)
          .max(100_000)
          .optional()
          .describe("Copy only the newest this many messages"),
        messageIds: z
          .array(toolConversationId)
          .max(1000)
          .optional()
          .describe("Copy only these messages"),
        keepMessageIds: z
          .boolean()
          .optional()
          .describe("Keep the messages' ids rather than giving the copies new ones"),
      }),
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
