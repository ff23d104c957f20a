import type { Memory, RecallMode } from "@engram/core";
import { z } from "zod";
import { parseOptions } from "../parse-options.js";
import { createForgetTool } from "./forget-tool.js";
import { createListTool } from "./list-tool.js";
import { createRecallTool } from "./recall-tool.js";
import { createRememberTool } from "./remember-tool.js";
import { createToolBinding, type NamespaceSource } from "./tool-binding.js";
import { createUpdateTool } from "./update-tool.js";

export interface MemoryToolsOptions<Context = unknown> {
  /** The memory the tools read and write (from `createMemory`). */
  memory: Memory;
  /**
   * The memory space the model works in, chosen by the application and never by the model: a
   * namespace, or a function of the request's context (ai 7: `toolsContext`, ai 6:
   * `experimental_context`) returning one. A namespace in a tool call is a path beneath it.
   */
  namespace: NamespaceSource<Context>;
  /**
   * A zod schema of the request context. ai 7 checks each tool's `toolsContext` entry against it
   * before the tool runs; ai 6 ignores it.
   */
  contextSchema?: z.ZodType<Context>;
  /** How `recall` ranks: `hybrid` (default), `semantic` or `keyword`. */
  mode?: RecallMode;
}

const optionsSchema = z.object({
  memory: z.custom<Memory>(
    (value) => typeof value === "object" && value !== null && "recall" in value,
    "memory must be a Memory from createMemory",
  ),
  namespace: z.union([z.array(z.string()), z.function()]),
  contextSchema: z
    .custom(
      (value) => typeof value === "object" && value !== null && "safeParse" in value,
      "contextSchema must be a zod schema",
    )
    .optional(),
  mode: z.enum(["semantic", "keyword", "hybrid"]).optional(),
});

/**
 * AI SDK tools over one memory space: `remember`, `recall`, `update`, `forget` and `list`.
 * Spread them into `tools`, or pick the ones you want.
 */
export function memoryTools<Context = unknown>(options: MemoryToolsOptions<Context>) {
  parseOptions(optionsSchema, options, "memoryTools options");
  const binding = createToolBinding(options.memory, options.namespace, options.contextSchema);
  return {
    remember: createRememberTool(binding),
    recall: createRecallTool(binding, options.mode),
    update: createUpdateTool(binding),
    forget: createForgetTool(binding),
    list: createListTool(binding),
  };
}

/** The tools `memoryTools` returns. */
export type MemoryTools<Context = unknown> = ReturnType<typeof memoryTools<Context>>;

/**
 * ai 7 hands each tool its own entry of `toolsContext`; this gives every tool named in `tools`
 * the same context: `generateText({ tools, toolsContext: memoryToolsContext(tools, { userId }) })`.
 */
export function memoryToolsContext<Tools extends object, Context>(
  tools: Tools,
  context: Context,
): { [Name in keyof Tools]: Context } {
  return Object.fromEntries(Object.keys(tools).map((name) => [name, context])) as {
    [Name in keyof Tools]: Context;
  };
}
