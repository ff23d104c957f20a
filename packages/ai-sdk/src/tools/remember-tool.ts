import { z } from "zod";
import { namespaceBeneath } from "./namespace-beneath.js";
import {
  fields,
  type MemoryTool,
  type ToolBinding,
  type ToolMemory,
  toToolMemory,
} from "./tool-binding.js";

export const rememberInput = z.object({
  content: z
    .string()
    .min(1)
    .max(4000)
    .describe(
      'One self-contained statement, written so it makes sense on its own later, e.g. "Alice prefers meetings before noon".',
    ),
  kind: fields.kind.optional().describe(`Default fact. ${fields.kind.description}`),
  key: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe(
      'A stable name for a fact that changes over time, e.g. "home-city". Remembering the same key again replaces the old memory instead of adding another.',
    ),
  tags: fields.tags.optional().describe("Short labels to filter by later."),
  importance: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("0 to 1, default 0.5. Important memories are kept longer and rank higher."),
  namespace: fields.namespace.optional(),
});

export type RememberToolInput = z.infer<typeof rememberInput>;
export interface RememberToolOutput {
  /** created, updated (same key), merged or skipped (a duplicate of an existing memory). */
  status: "created" | "updated" | "merged" | "skipped";
  memory: ToolMemory;
}

/** The `remember` tool: stores one memory in the bound memory space. */
export function createRememberTool<Context>(
  binding: ToolBinding<Context>,
): MemoryTool<RememberToolInput, RememberToolOutput, Context> {
  return {
    description:
      "Save something to long-term memory so it is known in later conversations: a user preference, a fact about the user or their work, a task, or feedback. Save one self-contained statement per call. Do not save small talk, secrets or things only relevant to this message.",
    contextSchema: binding.contextSchema,
    inputSchema: rememberInput,
    async execute(input, options) {
      const root = await binding.root(options);
      const namespace = namespaceBeneath(root, input.namespace);
      const result = await binding.memory.remember({
        namespace,
        content: input.content,
        kind: input.kind,
        key: input.key,
        tags: input.tags,
        importance: input.importance,
      });
      return { status: result.status, memory: toToolMemory(root, result.memory) };
    },
  };
}
