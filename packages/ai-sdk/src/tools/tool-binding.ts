import {
  EngramError,
  isWithin,
  type Memory,
  type MemoryRecord,
  type Namespace,
  validateNamespace,
} from "@engram/core";
import { z } from "zod";
import { namespaceRelativeTo } from "./namespace-beneath.js";

/**
 * The memory space a tool works in: a namespace, or a function of the request's context
 * (ai 7's tool context, ai 6's `experimental_context`) that returns one.
 */
export type NamespaceSource<Context = unknown> =
  | Namespace
  | ((context: Context) => Namespace | PromiseLike<Namespace>);

/** What a tool's `execute` receives besides its input, on either AI SDK major. */
export interface ToolCallOptions<Context = unknown> {
  /** ai 7: the tool's entry in `toolsContext`. */
  context?: Context;
  /** ai 6: `experimental_context` of the `generateText` / `streamText` call. */
  experimental_context?: unknown;
  abortSignal?: AbortSignal;
}

/**
 * An AI SDK tool, typed without naming either major's `Tool` type, so that it fits both: ai 6
 * and ai 7 take a zod schema as `inputSchema`, and ai 7 reads the context type from
 * `contextSchema`.
 */
export interface MemoryTool<Input, Output, Context = unknown> {
  description: string;
  inputSchema: z.ZodType<Input>;
  /** ai 7 checks `toolsContext` entries against it (when the application gave one). */
  contextSchema?: z.ZodType<Context>;
  execute(input: Input, options: ToolCallOptions<Context>): Promise<Output>;
}

/** What every memory tool shares: the memory and how to find the request's root namespace. */
export interface ToolBinding<Context = unknown> {
  readonly memory: Memory;
  readonly contextSchema: z.ZodType<Context> | undefined;
  /** The root namespace of this request; a tool error when the application gave none. */
  root(options: ToolCallOptions<Context> | undefined): Promise<Namespace>;
}

export function createToolBinding<Context>(
  memory: Memory,
  source: NamespaceSource<Context>,
  contextSchema: z.ZodType<Context> | undefined,
): ToolBinding<Context> {
  // A fixed root is checked once, when the tools are made.
  const fixed = typeof source === "function" ? undefined : validateNamespace(source);
  return {
    memory,
    contextSchema,
    async root(options) {
      if (fixed) return fixed;
      const context = options?.context ?? options?.experimental_context;
      let namespace: Namespace;
      try {
        namespace = validateNamespace(
          await (source as (context: Context) => Namespace)(context as Context),
        );
      } catch (cause) {
        // Never fall back to some shared namespace: without the request's own, the call fails.
        throw new EngramError(
          "INVALID_ARGUMENT",
          "This request has no memory namespace: the application's namespace function found none in the tool context.",
          { cause },
        );
      }
      return namespace;
    },
  };
}

/** A memory as a tool returns it to the model: what it needs to cite, judge and change it. */
export interface ToolMemory {
  id: string;
  content: string;
  kind: string;
  tags?: string[];
  key?: string;
  /** The sub-namespace beneath the memory space, when not the space itself. */
  namespace?: string[];
  /** Relevance in [0, 1], for recall. */
  score?: number;
  updatedAt: string;
}

export function toToolMemory(
  root: Namespace,
  record: MemoryRecord & { score?: number },
): ToolMemory {
  const relative = namespaceRelativeTo(root, record.namespace);
  return {
    id: record.id,
    content: record.content,
    kind: record.kind,
    ...(record.tags.length > 0 ? { tags: record.tags } : {}),
    ...(record.key !== undefined ? { key: record.key } : {}),
    ...(relative.length > 0 ? { namespace: relative } : {}),
    ...(record.score !== undefined ? { score: Math.round(record.score * 1000) / 1000 } : {}),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** A memory by id, only if it lies within the root; anything else is indistinguishable from missing. */
export async function memoryWithin(
  binding: Pick<ToolBinding, "memory">,
  root: Namespace,
  id: string,
): Promise<MemoryRecord> {
  const record = await binding.memory.get(id);
  if (!record || !isWithin(record.namespace, root)) {
    throw new EngramError("NOT_FOUND", `No memory with id ${id} in this memory space.`, {
      details: { id },
    });
  }
  return record;
}

const BUILT_IN_KINDS = ["preference", "fact", "episode", "task", "feedback"] as const;

/** The input fields several tools share, with descriptions a model can follow. */
export const fields = {
  namespace: z
    .array(z.string())
    .max(8)
    .describe(
      'Optional sub-space beneath the memory space, as path segments, e.g. ["projects", "apollo"]. Omit it for the main space.',
    ),
  kind: z
    .enum(BUILT_IN_KINDS)
    .describe(
      "preference (how the user likes things), fact (something true about the user or the world), episode (something that happened), task (something to do), feedback (how the assistant did).",
    ),
  tags: z.array(z.string().min(1).max(64)).max(10),
  id: z.string().min(1).max(64).describe("A memory id, as recall or list returned it."),
};
