import { z } from "zod";
import { namespaceBeneath } from "./namespace-beneath.js";
import {
  fields,
  type MemoryTool,
  type ToolBinding,
  type ToolMemory,
  toToolMemory,
} from "./tool-binding.js";

export const listInput = z.object({
  kinds: z.array(fields.kind).max(5).optional().describe("Only memories of these kinds."),
  tags: fields.tags.optional().describe("Only memories carrying all of these tags."),
  namespace: fields.namespace
    .optional()
    .describe(
      "Only this sub-space and what lies beneath it, as path segments. Omit it for the whole memory space.",
    ),
  limit: z.number().int().min(1).max(50).optional().describe("How many, default 20."),
  cursor: z.string().max(512).optional().describe("nextCursor from the previous page."),
});

export type ListToolInput = z.infer<typeof listInput>;
export interface ListToolOutput {
  /** Newest first. */
  memories: ToolMemory[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** The `list` tool: pages through the bound memory space, newest first. */
export function createListTool<Context>(
  binding: ToolBinding<Context>,
): MemoryTool<ListToolInput, ListToolOutput, Context> {
  return {
    description:
      "List stored memories, newest first, to review what is known (optionally only some kinds, tags or one sub-space). To find memories about a topic, use recall instead.",
    contextSchema: binding.contextSchema,
    inputSchema: listInput,
    async execute(input, options) {
      const root = await binding.root(options);
      const page = await binding.memory.list({
        within: namespaceBeneath(root, input.namespace),
        kinds: input.kinds,
        tags: input.tags,
        limit: input.limit ?? 20,
        cursor: input.cursor,
      });
      return {
        memories: page.memories.map((memory) => toToolMemory(root, memory)),
        ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
      };
    },
  };
}
