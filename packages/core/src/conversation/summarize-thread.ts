import type { MessageRecord } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import type { TokenCounter } from "../memory/context-block.js";
import { messageText } from "./message-text.js";
import { toMessages } from "./to-public.js";
import type { SummarizeThread } from "./types.js";

const PAGE = 1000;

export interface SummaryOptions {
  summarize: SummarizeThread;
  summaryTokens: number;
  keepRecent: number;
  countTokens: TokenCounter;
  /** Checked before the summary is stored: false when the ingest lease was lost. */
  stillOwner: () => Promise<boolean>;
}

/**
 * Folds a thread's older messages into its summary once those not yet summarised exceed the
 * budget: everything but the newest `keepRecent`, in chunks of at most `summaryTokens` each, so
 * no call to `summarize` gets more than the budget. Reads only what follows the last summary.
 * Returns whether the summary changed. Messages stay.
 */
export async function summarizeThread(
  context: MemoryContext,
  namespace: string,
  threadId: string,
  options: SummaryOptions,
): Promise<boolean> {
  const store = context.backend.conversations;
  const thread = await store.getThread(namespace, threadId);
  if (!thread) return false;
  const pending: MessageRecord[] = [];
  let after = thread.summary?.through;
  for (;;) {
    const page = await store.readMessages(namespace, threadId, {
      direction: "forward",
      after,
      limit: PAGE,
    });
    pending.push(...page);
    after = page.at(-1);
    if (page.length < PAGE) break;
  }
  const sizes = pending.map((message) => options.countTokens(messageText(message)));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const foldCount = Math.max(0, pending.length - options.keepRecent);
  if (total <= options.summaryTokens || foldCount === 0) return false;

  let text = thread.summary?.text;
  let start = 0;
  while (start < foldCount) {
    let end = start;
    let tokens = 0;
    do {
      tokens += sizes[end]!;
      end += 1;
    } while (end < foldCount && tokens + sizes[end]! <= options.summaryTokens);
    const written = await options.summarize({
      previous: text,
      messages: toMessages(pending.slice(start, end)),
    });
    if (typeof written !== "string" || written.trim().length === 0)
      throw new EngramError("INVALID_ARGUMENT", "summarize returned no text.", {
        details: { issues: [{ path: ["summarize"], message: "expected a non-empty string" }] },
      });
    text = written;
    start = end;
  }
  const last = pending[foldCount - 1]!;
  if (!(await options.stillOwner())) return false;
  return store.setSummary(namespace, threadId, {
    text: text!,
    throughMessageId: last.id,
    through: { createdAt: last.createdAt, seq: last.seq },
    updatedAt: context.now(),
  });
}
