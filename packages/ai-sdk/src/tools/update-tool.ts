import { z } from "zod";
import {
  fields,
  type MemoryTool,
  memoryWithin,
  type ToolBinding,
  type ToolMemory,
  toToolMemory,
} from "./tool-binding.js";

export const updateInput = z
  .object({
    id: fields.id,
    content: z
      .string()
      .min(1)
      .max(4000)
      .optional()
      .describe("The corrected statement, replacing the old content."),
    kind: fields.kind.optional(),
    tags: fields.tags.optional().describe("Replaces the memory's tags."),
    importance: z.number().min(0).max(1).optional().describe("0 to 1."),
  })
  .refine(
    (input) =>
      input.content !== undefined ||
      input.kind !== undefined ||
      input.tags !== undefined ||
      input.importance !== undefined,
    { message: "Give at least one field to change: content, kind, tags or importance." },
  );

export type UpdateToolInput = z.infer<typeof updateInput>;
export interface UpdateToolOutput {
  memory: ToolMemory;
}

/** The `update` tool: changes a memory of the bound memory space by id. */
export function createUpdateTool<Context>(
  binding: ToolBinding<Context>,
): MemoryTool<UpdateToolInput, UpdateToolOutput, Context> {
  return {
    description:
      "Correct or change a memory you found with recall or list, by its id, when something about the user changed or was wrong. Give only the fields to change.",
    contextSchema: binding.contextSchema,
    inputSchema: updateInput,
    async execute(input, options) {
      const root = await binding.root(options);
      await memoryWithin(binding, root, input.id);
      const updated = await binding.memory.update(input.id, {
        content: input.content,
        kind: input.kind,
        tags: input.tags,
        importance: input.importance,
      });
      return { memory: toToolMemory(root, updated) };
    },
  };
}
