import type {
  ContextBlock,
  IngestOptions,
  Memory,
  MemoryKind,
  Namespace,
  RecallMode,
} from "@engram/core";
import { z } from "zod";
import type { Placement } from "./prompt.js";

/** Which step failed: the recall before a call, or the writes after it. */
export type MiddlewarePhase = "recall" | "persist" | "ingest";

export interface MiddlewareErrorInfo {
  phase: MiddlewarePhase;
  namespace: Namespace;
  threadId: string;
}

export interface MemoryMiddlewareOptions {
  /** The memory to recall from and write to (from `createMemory`). */
  memory: Memory;
  /** The namespace of requests whose `providerOptions.engram.namespace` gives none. */
  namespace?: Namespace;
  /** The thread turns are appended to when a request names none; default `"default"`. */
  threadId?: string;
  /** The recalled block never exceeds this many tokens; default 1000. */
  maxTokens?: number;
  /**
   * Where the block goes: `"user"` (default) as a delimited text part at the start of the latest
   * user message, `"system"` as a system message after the leading ones, or a function.
   */
  placement?: Placement;
  /** Turns the recalled block into prompt text; default a delimited `<memory>` block. */
  render?: (block: ContextBlock) => string;
  /**
   * A recall slower than this (ms) is abandoned and the call goes on without it; default 1000.
   * The embedder's one-time model load (the offline encoder's, started when the middleware is
   * made) is waited for before the clock starts.
   */
  timeoutMs?: number;
  /** What to recall: the namespace's subtree (default) or the namespace alone, and filters. */
  recall?: {
    /** `false` to search only the namespace itself, not the namespaces beneath it. */
    subtree?: boolean;
    mode?: RecallMode;
    kinds?: MemoryKind[];
    tags?: string[];
    minScore?: number;
  };
  /** Append each turn to the thread after the call; default `true`. */
  persist?: boolean;
  /** Also run `memory.ingest` on the thread after appending (`true`, or its options). */
  ingest?: boolean | IngestOptions;
  /** Hears what failed open: a recall that failed or timed out, a write that failed. */
  onError?: (error: unknown, info: MiddlewareErrorInfo) => void;
}

const namespaceShape = z.array(z.string());

export const middlewareOptionsSchema = z.object({
  memory: z.custom<Memory>(
    (value) => typeof value === "object" && value !== null && "context" in value,
    "memory must be a Memory from createMemory",
  ),
  namespace: namespaceShape.optional(),
  threadId: z.string().min(1).max(256).optional(),
  maxTokens: z.number().int().min(0).max(1_000_000).optional(),
  placement: z.union([z.enum(["user", "system"]), z.function()]).optional(),
  render: z.function().optional(),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
  recall: z
    .object({
      subtree: z.boolean().optional(),
      mode: z.enum(["semantic", "keyword", "hybrid"]).optional(),
      kinds: z.array(z.string()).optional(),
      tags: z.array(z.string()).optional(),
      minScore: z.number().min(0).max(1).optional(),
    })
    .optional(),
  persist: z.boolean().optional(),
  ingest: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  onError: z.function().optional(),
  specificationVersion: z.enum(["v3", "v4"]).optional(),
});

/**
 * Per-request settings, under `providerOptions.engram` of a `generateText` / `streamText` call.
 * They come from the application, never from the model.
 */
export interface RequestMemoryOptions {
  /** This request's namespace, e.g. the signed-in user's. */
  namespace?: string[];
  /** The conversation this request belongs to. */
  threadId?: string;
  /** `false` to skip recall for this request. */
  recall?: boolean;
  /** `false` to not append this turn. */
  persist?: boolean;
  /** Recall for this text instead of the latest user message. */
  query?: string;
}

export const requestOptionsSchema = z.strictObject({
  namespace: namespaceShape.optional(),
  threadId: z.string().min(1).max(256).optional(),
  recall: z.boolean().optional(),
  persist: z.boolean().optional(),
  query: z.string().min(1).max(10_000).optional(),
});
