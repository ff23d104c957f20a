import { z } from "zod";
import { composeContext } from "../conversation/compose-context.js";
import { DEFAULT_SHARES } from "../conversation/context-parts.js";
import { conversationIdSchema } from "../conversation/schemas.js";
import type { Message, ThreadAddress, WorkingMemory } from "../conversation/types.js";
import { EngramError } from "../errors/engram-error.js";
import { type Namespace, validateNamespace } from "../namespace/namespace.js";
import { parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import { recall } from "./recall.js";
import type { RecalledMemory, RecallOptions } from "./types.js";

/** Counts tokens the way the caller's model does; the default estimates four characters a token. */
export type TokenCounter = (text: string) => number;

/** A rough, model-independent estimate: about four characters of English per token. */
export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / 4);

export interface ContextOptions extends Omit<RecallOptions, "limit" | "query"> {
  /**
   * What the recalled memories should answer. Required unless a thread is given: then the
   * latest user message is the query.
   */
  query?: string;
  /** The block never exceeds this many tokens; 0 yields an empty block. */
  maxTokens: number;
  /** `"markdown"` (default) or `"text"`. */
  format?: "markdown" | "text";
  /** How many recalled memories compete for the budget; default 50. */
  candidates?: number;
  /** Overrides the memory's token counter for this call. */
  countTokens?: TokenCounter;
  /** Adds the thread's summary and its most recent messages. */
  thread?: ThreadAddress;
  /** The thread's id, when `namespace` is a single namespace (the thread's). */
  threadId?: string;
  /** Adds the working memory: of the namespace (`true`) or of the thread (`"thread"`). */
  workingMemory?: boolean | "thread";
  /**
   * Shares of `maxTokens` per part, default `{ workingMemory: 0.2, conversation: 0.4,
   * memories: 0.4 }`. A part that needs less than its share leaves the rest to the others.
   */
  shares?: { workingMemory?: number; conversation?: number; memories?: number };
}

/** A prompt-ready block of memories and what went into it. */
export interface ContextBlock {
  text: string;
  /** The block's size by the token counter used. */
  tokens: number;
  /** The memories in the block, most relevant first. */
  memories: RecalledMemory[];
  /** The working memory, when asked for and in the block. */
  workingMemory?: WorkingMemory;
  /** The thread's summary as the block shows it (cut short when it did not fit). */
  summary?: string;
  /** The thread's recent messages that fit, oldest first (when a thread was given). */
  messages?: Message[];
}

const HEADINGS: Record<string, string> = {
  preference: "Preferences",
  fact: "Facts",
  episode: "Episodes",
  task: "Tasks",
  feedback: "Feedback",
};

const share = z.number().min(0).max(1).optional();
const contextFields = z.strictObject({
  maxTokens: z.number().int().min(0).max(1_000_000),
  format: z.enum(["markdown", "text"]).default("markdown"),
  candidates: z.number().int().min(1).max(100).default(50),
  thread: z
    .strictObject({ namespace: z.array(z.string()), threadId: conversationIdSchema })
    .optional(),
  threadId: conversationIdSchema.optional(),
  workingMemory: z.union([z.boolean(), z.literal("thread")]).optional(),
  shares: z
    .strictObject({ workingMemory: share, conversation: share, memories: share })
    .refine(
      (shares) => Object.values(shares).some((value) => value !== undefined && value > 0),
      "at least one share must be above 0",
    )
    .optional(),
});

/**
 * Renders memories grouped by kind; groups are ordered by their best memory, memories within a
 * group by relevance, and each line cites the memory's id.
 */
export function renderContext(
  memories: readonly RecalledMemory[],
  format: "markdown" | "text",
): string {
  const groups = new Map<string, RecalledMemory[]>();
  for (const memory of memories)
    groups.set(memory.kind, [...(groups.get(memory.kind) ?? []), memory]);
  return [...groups]
    .map(([kind, items]) => {
      const heading = HEADINGS[kind] ?? kind;
      const lines = items.map((item) => `- ${item.content.replace(/\s*\n\s*/g, " ")} [${item.id}]`);
      return [format === "markdown" ? `## ${heading}` : `${heading}:`, ...lines].join("\n");
    })
    .join("\n\n");
}

/** A single namespace given as `namespace`, if that is what it is. */
function singleNamespace(value: unknown): Namespace | undefined {
  return Array.isArray(value) && value.every((segment) => typeof segment === "string")
    ? validateNamespace(value)
    : undefined;
}

/**
 * The most relevant memories for a query, as a block for a prompt, within a token budget; with
 * a thread or working memory, the conversation and working memory share the budget too.
 */
export async function buildContext(
  context: MemoryContext,
  raw: ContextOptions,
  defaultCounter: TokenCounter,
): Promise<ContextBlock> {
  const {
    maxTokens,
    format,
    candidates,
    countTokens,
    thread,
    threadId,
    workingMemory,
    shares,
    ...recallOptions
  } = raw;
  const options = parseInput(
    contextFields,
    { maxTokens, format, candidates, thread, threadId, workingMemory, shares },
    "context options",
  );
  const count = countTokens ?? defaultCounter;
  if (options.thread || options.threadId !== undefined || options.workingMemory) {
    if (options.thread) validateNamespace(options.thread.namespace);
    const namespace = singleNamespace(recallOptions.namespace);
    if (options.threadId !== undefined && (!namespace || options.thread))
      throw new EngramError(
        "INVALID_ARGUMENT",
        "threadId needs a single `namespace` (the thread's); or give `thread` instead.",
        { details: { issues: [{ path: ["threadId"], message: "no single namespace" }] } },
      );
    const address =
      options.thread ??
      (options.threadId === undefined
        ? undefined
        : { namespace: namespace!, threadId: options.threadId });
    const scoped = recallOptions.namespace !== undefined || recallOptions.within !== undefined;
    return composeContext(
      context,
      {
        maxTokens: options.maxTokens,
        format: options.format,
        candidates: options.candidates,
        shares: { ...DEFAULT_SHARES, ...options.shares },
        thread: address,
        workingMemory:
          options.workingMemory === "thread"
            ? "thread"
            : options.workingMemory
              ? "namespace"
              : undefined,
        namespace,
        recall: scoped ? recallOptions : { ...recallOptions, namespace: address?.namespace },
      },
      count,
    );
  }
  const recalled = await recall(context, {
    ...recallOptions,
    query: recallOptions.query as string,
    limit: options.candidates,
  });
  if (options.maxTokens === 0) return { text: "", tokens: 0, memories: [] };

  // Greedy by relevance: take each memory whose addition keeps the whole block in budget, so a
  // long memory that does not fit leaves room for shorter, less relevant ones.
  const chosen: RecalledMemory[] = [];
  let text = "";
  let tokens = 0;
  for (const memory of recalled) {
    const candidate = [...chosen, memory];
    const rendered = renderContext(candidate, options.format);
    const size = count(rendered);
    if (size <= options.maxTokens) {
      chosen.push(memory);
      text = rendered;
      tokens = size;
    }
  }
  return { text, tokens, memories: chosen };
}
