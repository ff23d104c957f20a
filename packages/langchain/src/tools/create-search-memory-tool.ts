import type { RecalledMemory } from "@engram/core";
import { type ToolRunnableConfig, tool } from "@langchain/core/tools";
import { z } from "zod";
import { runNamespace } from "../run-namespace/run-namespace.js";
import { toCompactMemory } from "./compact-memory.js";
import {
  type MemoryToolsOptions,
  type ResolvedToolsOptions,
  resolveToolsOptions,
} from "./options.js";

/** LangMem's search pattern: the model looks up what it knows, by meaning and by words. */
export function createSearchMemoryTool(input: MemoryToolsOptions) {
  return searchMemoryTool(resolveToolsOptions(input));
}

/** The search tool over validated options (shared with `createMemoryTools`). */
export function searchMemoryTool(options: ResolvedToolsOptions) {
  const { memory, template, kinds } = options;
  const schema = z.object({
    query: z.string().min(1).describe("What to look for, in words like the memory's own."),
    limit: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe(`How many memories to return, best first. Default ${options.limit}.`),
    kinds: z.array(z.enum(kinds)).optional().describe("Only memories of these kinds."),
  });
  return tool(
    async (args, runtime: ToolRunnableConfig) => {
      const namespace = runNamespace(template, runtime);
      const found: RecalledMemory[] = await memory.recall({
        ...(options.scope === "within" ? { within: namespace } : { namespace }),
        query: args.query,
        limit: args.limit ?? options.limit,
        ...(args.kinds ? { kinds: args.kinds } : {}),
        ...(options.mode ? { mode: options.mode } : {}),
        ...(options.minScore === undefined ? {} : { minScore: options.minScore }),
      });
      const content = JSON.stringify(found.map(toCompactMemory));
      // As in the manage tool: a direct call returns the content even with an artifact.
      return (
        options.responseFormat === "content_and_artifact" ? [content, found] : content
      ) as string;
    },
    {
      name: options.names.search,
      description:
        "Search long-term memory for what you know that bears on the conversation: the user's preferences, facts, earlier events, open tasks. Returns a JSON list of memories, best first, each with id, content, kind and score (relevance from 0 to 1).",
      schema,
      responseFormat: options.responseFormat,
    },
  );
}
