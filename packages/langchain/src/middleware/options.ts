import {
  type CompiledNamespaceTemplate,
  createNamespaceTemplate,
  type IngestOptions,
  type Memory,
  type MemoryFilter,
  type NamespaceTemplate,
  type RecallMode,
} from "@engram/core";
import { z } from "zod";
import { memoryShape } from "../options/memory-shape.js";
import { parseOptions } from "../options/parse-options.js";
import type { RunValues } from "../run-namespace/run-namespace.js";
import type { MemoryToolsOptions } from "../tools/options.js";

/** How the middleware recalls before each model call. */
export interface RecallSettings {
  /** The most tokens the recalled block may take; default 800. */
  maxTokens?: number;
  /** The namespace only (default) or it and everything beneath it (`"within"`). */
  scope?: "namespace" | "within";
  /** `"hybrid"` (default), `"semantic"` or `"keyword"`. */
  mode?: RecallMode;
  /** Leave out memories scoring below this (0-1). */
  minScore?: number;
  /** Only memories that match: kinds, tags, metadata, dates, pinned. */
  filter?: MemoryFilter;
}

/** How `memoryMiddleware` gives an agent memory. */
export interface MemoryMiddlewareOptions {
  /** The memory (from `createMemory`). */
  memory: Memory;
  /**
   * Whose memory: a namespace, or a template such as `["users", "{user_id}"]` filled on each run
   * from the agent's context or `config.configurable`. A missing value fails the run; it never
   * falls back to a shared namespace.
   */
  namespace: NamespaceTemplate;
  /** Recall before each model call (default on); `false` turns it off. */
  recall?: boolean | RecallSettings;
  /**
   * Store each turn's messages in the thread `configurable.thread_id` names (or `threadId`
   * returns) after the agent answers, off the response's path. Default on.
   */
  persist?: boolean;
  /** Which thread a run belongs to; default `configurable.thread_id`. */
  threadId?: (run: RunValues) => string | undefined;
  /**
   * After persisting, turn the new messages into long-term memories with `memory.ingest`
   * (`true` for its defaults, or its options). Default off.
   */
  ingest?: boolean | IngestOptions;
  /** Give the agent `manage_memory` and `search_memory` too (`true`, or their options). */
  tools?: boolean | Omit<MemoryToolsOptions, "memory" | "namespace">;
  /** Where background failures go (persisting, ingesting); default `console.error`. */
  onError?: (error: unknown) => void;
}

export interface ResolvedMiddlewareOptions {
  memory: Memory;
  template: CompiledNamespaceTemplate;
  recall: (Required<Pick<RecallSettings, "maxTokens" | "scope">> & RecallSettings) | undefined;
  persist: boolean;
  threadId: (run: RunValues) => string | undefined;
  ingest: IngestOptions | undefined;
  tools: Omit<MemoryToolsOptions, "memory" | "namespace"> | undefined;
  onError: (error: unknown) => void;
}

const objectShape = (what: string) =>
  z.custom<Record<string, unknown>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
    `${what} is an object`,
  );

const optionsSchema = z
  .strictObject({
    memory: memoryShape,
    namespace: z.custom<NamespaceTemplate>(
      (value) => Array.isArray(value),
      "namespace is an array",
    ),
    recall: z
      .union([
        z.boolean(),
        z.strictObject({
          maxTokens: z.number().int().min(1).max(100_000).default(800),
          scope: z.enum(["namespace", "within"]).default("namespace"),
          mode: z.enum(["hybrid", "semantic", "keyword"]).optional(),
          minScore: z.number().min(0).max(1).optional(),
          filter: objectShape("filter").optional(),
        }),
      ])
      .default(true),
    persist: z.boolean().default(true),
    threadId: z.function().optional(),
    ingest: z.union([z.boolean(), objectShape("ingest")]).default(false),
    tools: z.union([z.boolean(), objectShape("tools")]).default(false),
    onError: z.function().optional(),
  })
  .refine((options) => options.persist || options.ingest === false, {
    message: "ingest reads the thread the middleware persists; it needs persist: true.",
  });

function defaultThreadId(run: RunValues): string | undefined {
  const configurable = run.configurable as Record<string, unknown> | undefined;
  const id = configurable?.thread_id;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

/** Validates middleware options; throws `INVALID_ARGUMENT`, or `INVALID_NAMESPACE` for the template. */
export function resolveMiddlewareOptions(
  options: MemoryMiddlewareOptions,
): ResolvedMiddlewareOptions {
  const parsed = parseOptions(optionsSchema, options, "memoryMiddleware options");
  const recall =
    parsed.recall === false
      ? undefined
      : parsed.recall === true
        ? { maxTokens: 800, scope: "namespace" as const }
        : (parsed.recall as ResolvedMiddlewareOptions["recall"]);
  return {
    memory: parsed.memory,
    template: createNamespaceTemplate(parsed.namespace),
    recall,
    persist: parsed.persist,
    threadId: (parsed.threadId as ResolvedMiddlewareOptions["threadId"]) ?? defaultThreadId,
    ingest:
      parsed.ingest === false
        ? undefined
        : parsed.ingest === true
          ? {}
          : (parsed.ingest as IngestOptions),
    tools:
      parsed.tools === false
        ? undefined
        : parsed.tools === true
          ? {}
          : (parsed.tools as ResolvedMiddlewareOptions["tools"]),
    onError:
      (parsed.onError as ResolvedMiddlewareOptions["onError"]) ??
      ((error) => console.error("[engram] memoryMiddleware could not store a turn:", error)),
  };
}
