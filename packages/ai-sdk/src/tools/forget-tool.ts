import { z } from "zod";
import { fields, type MemoryTool, memoryWithin, type ToolBinding } from "./tool-binding.js";

export const forgetInput = z.object({
  ids: z
    .array(fields.id)
    .min(1)
    .max(20)
    .describe("Ids of the memories to delete, as recall or list returned them."),
});

export type ForgetToolInput = z.infer<typeof forgetInput>;
export interface ForgetToolOutput {
  /** How many memories were deleted. */
  forgotten: number;
}

/** The `forget` tool: deletes memories of the bound memory space by id. */
export function createForgetTool<Context>(
  binding: ToolBinding<Context>,
): MemoryTool<ForgetToolInput, ForgetToolOutput, Context> {
  return {
    description:
      "Delete memories by id: when the user asks you to forget something, or a memory is wrong and update cannot fix it. Find the ids with recall or list first.",
    contextSchema: binding.contextSchema,
    inputSchema: forgetInput,
    async execute(input, options) {
      const root = await binding.root(options);
      // Every id must lie within the root before anything is deleted: a refused call deletes nothing.
      for (const id of input.ids) await memoryWithin(binding, root, id);
      return { forgotten: await binding.memory.forget(input.ids) };
    },
  };
}
