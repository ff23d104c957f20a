import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ConfinedMemory } from "../../tenancy/confine-memory.js";
import { toolThreadAddress } from "../conversation-tool-schemas.js";
import { toolResult } from "../tool-result.js";
import { toolExactNamespace, toolFilter, toolNamespace, toolScope } from "../tool-schemas.js";
import { READS } from "./annotations.js";

/** The `context` tool. */
export function registerContextTool(server: McpServer, memory: ConfinedMemory): void {
  server.registerTool(
    "context",
    {
      title: "Memory context",
      description:
        "Get a prompt-ready block of the memories most relevant to a topic, grouped by kind and fitted to a token budget, optionally with a thread's recent messages and the working memory. Use it at the start of a task to load what you know.",
      annotations: READS,
      inputSchema: z.strictObject({
        query: z
          .string()
          .min(1)
          .max(4096)
          .optional()
          .describe("The topic or task at hand; with a thread, default its latest user message"),
        maxTokens: z.number().int().min(0).max(100_000).optional().describe("Budget, default 1000"),
        namespace: toolExactNamespace,
        within: toolNamespace,
        ...toolFilter,
        thread: z
          .object(toolThreadAddress)
          .optional()
          .describe("Adds this thread's summary and recent messages"),
        workingMemory: z
          .union([z.boolean(), z.literal("thread")])
          .optional()
          .describe(
            'Adds the working memory of the thread\'s namespace (true) or of the thread ("thread")',
          ),
      }),
    },
    ({ namespace, within, maxTokens, ...options }) =>
      toolResult(async () => {
        // Nothing to recall from (an empty store): a thread still brings its own namespace.
        const scope =
          (await toolScope(memory, namespace, within)) ??
          (options.thread ? { within: options.thread.namespace ?? [] } : undefined);
        if (!scope) return { text: "", tokens: 0, ids: [] };
        const block = await memory.context({ ...options, ...scope, maxTokens: maxTokens ?? 1000 });
        return { text: block.text, tokens: block.tokens, ids: block.memories.map((m) => m.id) };
      }),
  );
}
