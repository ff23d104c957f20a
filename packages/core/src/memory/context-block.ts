import { z } from "zod";
import { parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import { recall } from "./recall.js";
import type { RecalledMemory, RecallOptions } from "./types.js";

/** Counts tokens the way the caller's model does; the default estimates four characters a token. */
export type TokenCounter = (text: string) => number;

/** A rough, model-independent estimate: about four characters of English per token. */
export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / 4);

export interface ContextOptions extends Omit<RecallOptions, "limit"> {
  /** The block never exceeds this many tokens; 0 yields an empty block. */
  maxTokens: number;
  /** `"markdown"` (default) or `"text"`. */
  format?: "markdown" | "text";
  /** How many recalled memories compete for the budget; default 50. */
  candidates?: number;
  /** Overrides the memory's token counter for this call. */
  countTokens?: TokenCounter;
}

/** A prompt-ready block of memories and what went into it. */
export interface ContextBlock {
  text: string;
  /** The block's size by the token counter used. */
  tokens: number;
  /** The memories in the block, most relevant first. */
  memories: RecalledMemory[];
}

const HEADINGS: Record<string, string> = {
  preference: "Preferences",
  fact: "Facts",
  episode: "Episodes",
  task: "Tasks",
  feedback: "Feedback",
};

const contextFields = z.strictObject({
  maxTokens: z.number().int().min(0).max(1_000_000),
  format: z.enum(["markdown", "text"]).default("markdown"),
  candidates: z.number().int().min(1).max(100).default(50),
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

/** The most relevant memories for a query, as a block for a prompt, within a token budget. */
export async function buildContext(
  context: MemoryContext,
  raw: ContextOptions,
  defaultCounter: TokenCounter,
): Promise<ContextBlock> {
  const { maxTokens, format, candidates, countTokens, ...recallOptions } = raw;
  const options = parseInput(contextFields, { maxTokens, format, candidates }, "context options");
  const count = countTokens ?? defaultCounter;
  const recalled = await recall(context, { ...recallOptions, limit: options.candidates });
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
