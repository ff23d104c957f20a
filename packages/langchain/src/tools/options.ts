import {
  type CompiledNamespaceTemplate,
  createNamespaceTemplate,
  type Memory,
  type MemoryKind,
  type NamespaceTemplate,
  type RecallMode,
} from "@engram/core";
import { z } from "zod";
import { memoryShape } from "../options/memory-shape.js";
import { parseOptions } from "../options/parse-options.js";

/** What the manage tool may do. */
export type MemoryAction = "create" | "update" | "delete";

/** How to build the memory tools. */
export interface MemoryToolsOptions {
  /** The memory the tools read and write (from `createMemory`). */
  memory: Memory;
  /**
   * Where the memories live: a namespace, or a template such as `["users", "{user_id}"]` filled
   * on each call from the run's context or `config.configurable`. A missing value is a tool error.
   */
  namespace: NamespaceTemplate;
  /**
   * What search (and so update and delete) may reach: the namespace itself (`"namespace"`, the
   * default) or it and every namespace beneath it (`"within"`). Writes always go to the namespace.
   */
  scope?: "namespace" | "within";
  /** What the manage tool may do; default all three. */
  actions?: readonly MemoryAction[];
  /** Kinds the model may choose when it writes; default preference, fact, episode, task, feedback. */
  kinds?: readonly MemoryKind[];
  /** Added to the manage tool's description: when your agent should remember. */
  instructions?: string;
  /** How many results search returns unless the model asks for fewer or more (1-50); default 5. */
  limit?: number;
  /** Search ranking: `"hybrid"` (default), `"semantic"` or `"keyword"`. */
  mode?: RecallMode;
  /** Search drops results scoring below this (0-1). */
  minScore?: number;
  /**
   * `"content"` (default): the tools return compact JSON. `"content_and_artifact"`: also the
   * full memory records as the ToolMessage's artifact, for your code (the model never sees it).
   */
  responseFormat?: "content" | "content_and_artifact";
  /** Tool names; default `manage_memory` and `search_memory`. */
  names?: { manage?: string; search?: string };
}

/** Options after validation, with the template compiled. */
export interface ResolvedToolsOptions {
  memory: Memory;
  template: CompiledNamespaceTemplate;
  scope: "namespace" | "within";
  actions: readonly MemoryAction[];
  kinds: readonly [string, ...string[]];
  instructions: string | undefined;
  limit: number;
  mode: RecallMode | undefined;
  minScore: number | undefined;
  responseFormat: "content" | "content_and_artifact";
  names: { manage: string; search: string };
}

const toolName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "a tool name is 1-64 of A-Z a-z 0-9 _ -");

const optionsSchema = z.strictObject({
  memory: memoryShape,
  namespace: z.custom<NamespaceTemplate>((value) => Array.isArray(value), "namespace is an array"),
  scope: z.enum(["namespace", "within"]).default("namespace"),
  actions: z
    .array(z.enum(["create", "update", "delete"]))
    .min(1, "give at least one action")
    .default(["create", "update", "delete"]),
  kinds: z
    .array(z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "a kind is a lowercase identifier"))
    .min(1)
    .default(["preference", "fact", "episode", "task", "feedback"]),
  instructions: z.string().max(4000).optional(),
  limit: z.number().int().min(1).max(50).default(5),
  mode: z.enum(["hybrid", "semantic", "keyword"]).optional(),
  minScore: z.number().min(0).max(1).optional(),
  responseFormat: z.enum(["content", "content_and_artifact"]).default("content"),
  names: z.strictObject({ manage: toolName.optional(), search: toolName.optional() }).optional(),
});

/** Validates tool options; throws `INVALID_ARGUMENT`, or `INVALID_NAMESPACE` for the template. */
export function resolveToolsOptions(options: MemoryToolsOptions): ResolvedToolsOptions {
  const parsed = parseOptions(optionsSchema, options, "memory tool options");
  return {
    memory: parsed.memory,
    template: createNamespaceTemplate(parsed.namespace),
    scope: parsed.scope,
    actions: [...new Set(parsed.actions)],
    kinds: [...new Set(parsed.kinds)] as [string, ...string[]],
    instructions: parsed.instructions,
    limit: parsed.limit,
    mode: parsed.mode,
    minScore: parsed.minScore,
    responseFormat: parsed.responseFormat,
    names: {
      manage: parsed.names?.manage ?? "manage_memory",
      search: parsed.names?.search ?? "search_memory",
    },
  };
}
