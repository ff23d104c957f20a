import type { RecallMode } from "@engram/core";
import { z } from "zod";
import { namespaceBeneath } from "./namespace-beneath.js";
import {
  fields,
  type MemoryTool,
  type ToolBinding,
  type ToolMemory,
  toToolMemory,
} from "./tool-binding.js";

export const recallInput = z.object({
  query: z
    .string()
    .min(1)
    .max(2000)
    .describe('What to look for, in words, e.g. "the user\'s meeting preferences".'),
  limit: z.number().int().min(1).max(20).optional().describe("How many memories, default 5."),
  kinds: z.array(fields.kind).max(5).optional().describe("Only memories of these kinds."),
  tags: fields.tags.optional().describe("Only memories carrying all of these tags."),
  namespace: fields.namespace
    .optional()
    .describe(
      'Only this sub-space and what lies beneath it, as path segments, e.g. ["projects", "apollo"]. Omit it to search the whole memory space.',
    ),
});

export type RecallToolInput = z.infer<typeof recallInput>;
export interface RecallToolOutput {
  /** Best first; `score` is the relevance in [0, 1]. */
  memories: ToolMemory[];
}

/** The `recall` tool: searches the bound memory space by meaning. */
export function createRecallTool<Context>(
  binding: ToolBinding<Context>,
  mode: RecallMode | undefined,
): MemoryTool<RecallToolInput, RecallToolOutput, Context> {
  return {
    description:
      "Search long-term memory by meaning. Use it before answering when the user refers to earlier conversations, their preferences, or anything you may have saved. Returns the best matches, each with an id and a relevance score from 0 to 1.",
    contextSchema: binding.contextSchema,
    inputSchema: recallInput,
    async execute(input, options) {
      const root = await binding.root(options);
      const recalled = await binding.memory.recall({
        within: namespaceBeneath(root, input.namespace),
        query: input.query,
        limit: input.limit ?? 5,
        kinds: input.kinds,
        tags: input.tags,
        mode,
      });
      return { memories: recalled.map((memory) => toToolMemory(root, memory)) };
    },
  };
}
