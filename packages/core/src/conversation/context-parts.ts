import { renderContext, type TokenCounter } from "../memory/context-block.js";
import type { RecalledMemory } from "../memory/types.js";
import { messageText } from "./message-text.js";
import type { Message, WorkingMemory } from "./types.js";

/** The three parts of a conversational context block, in the order they are rendered. */
export type ContextPart = "workingMemory" | "memories" | "conversation";

export interface ContextShares {
  workingMemory: number;
  conversation: number;
  memories: number;
}

export const DEFAULT_SHARES: ContextShares = {
  workingMemory: 0.2,
  conversation: 0.4,
  memories: 0.4,
};

/** What is in the block so far; every field is what the text shows. */
export interface ContextSelection {
  workingMemory: { document: WorkingMemory; text: string } | undefined;
  summary: string | undefined;
  /** Chronological. */
  messages: Message[];
  memories: RecalledMemory[];
}

const SEPARATOR = "\n\n";

function heading(title: string, format: "markdown" | "text"): string {
  return format === "markdown" ? `## ${title}` : `${title}:`;
}

/** One line per message, newlines folded, so each message is visibly one entry. */
function messageLine(message: Message): string {
  return `${message.role}: ${messageText(message)
    .trim()
    .replace(/\s*\n\s*/g, " ")}`;
}

/** True when a message has text to show (tool calls alone have none). */
export function hasText(message: Message): boolean {
  return messageText(message).trim().length > 0;
}

/** The working memory as text: a string as it is, an object as compact JSON. */
export function workingMemoryText(document: WorkingMemory): string {
  return typeof document.content === "string" ? document.content : JSON.stringify(document.content);
}

/** Renders a selection as delimited sections: working memory, memories, summary, messages. */
export function renderSelection(selection: ContextSelection, format: "markdown" | "text"): string {
  const sections: string[] = [];
  if (selection.workingMemory)
    sections.push(`${heading("Working memory", format)}\n${selection.workingMemory.text}`);
  if (selection.memories.length > 0) sections.push(renderContext(selection.memories, format));
  if (selection.summary !== undefined)
    sections.push(
      `${heading("Summary of the earlier conversation", format)}\n${selection.summary}`,
    );
  if (selection.messages.length > 0)
    sections.push(
      [heading("Recent messages", format), ...selection.messages.map(messageLine)].join("\n"),
    );
  return sections.join(SEPARATOR);
}

/**
 * Splits a budget between parts by their shares, water-filling: a part that needs less than
 * its share gets what it needs, and the rest goes to the others in proportion to theirs.
 */
export function allocate(
  total: number,
  needs: Record<ContextPart, number>,
  shares: ContextShares,
): Record<ContextPart, number> {
  const budgets: Record<ContextPart, number> = { workingMemory: 0, memories: 0, conversation: 0 };
  let remaining = Math.max(0, total);
  let open = (Object.keys(needs) as ContextPart[]).filter(
    (part) => needs[part] > 0 && shares[part] > 0,
  );
  while (open.length > 0) {
    const weight = open.reduce((sum, part) => sum + shares[part], 0);
    const satisfied = open.filter((part) => needs[part] <= (remaining * shares[part]) / weight);
    if (satisfied.length === 0) {
      for (const part of open) budgets[part] = Math.floor((remaining * shares[part]) / weight);
      return budgets;
    }
    for (const part of satisfied) {
      budgets[part] = needs[part];
      remaining -= needs[part];
    }
    open = open.filter((part) => !satisfied.includes(part));
  }
  return budgets;
}

/**
 * The longest prefix of `text` (cut with an ellipsis when shortened) whose rendering fits the
 * budget, or undefined when not even one character does.
 */
export function fitText(
  text: string,
  budget: number,
  count: TokenCounter,
  render: (text: string) => string,
): string | undefined {
  if (count(render(text)) <= budget) return text;
  let low = 0;
  let high = text.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (count(render(`${text.slice(0, middle)}…`)) <= budget) low = middle;
    else high = middle - 1;
  }
  return low > 0 ? `${text.slice(0, low).trimEnd()}…` : undefined;
}

/** The rendered size of one part alone, as it would appear in the block. */
export function partSize(
  selection: Partial<ContextSelection>,
  count: TokenCounter,
  format: "markdown" | "text",
): number {
  const text = renderSelection(
    {
      workingMemory: selection.workingMemory,
      summary: selection.summary,
      messages: selection.messages ?? [],
      memories: selection.memories ?? [],
    },
    format,
  );
  return text.length === 0 ? 0 : count(text);
}

export { heading, SEPARATOR };
