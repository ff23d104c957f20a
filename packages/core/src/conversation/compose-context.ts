import type { MessageRecord } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import type { ContextBlock, TokenCounter } from "../memory/context-block.js";
import { renderContext } from "../memory/context-block.js";
import { recall } from "../memory/recall.js";
import type { RecalledMemory, RecallOptions } from "../memory/types.js";
import { encodeNamespace, type Namespace } from "../namespace/namespace.js";
import {
  allocate,
  type ContextPart,
  type ContextSelection,
  type ContextShares,
  fitText,
  hasText,
  heading,
  partSize,
  renderSelection,
  SEPARATOR,
  workingMemoryText,
} from "./context-parts.js";
import { messageText } from "./message-text.js";
import { toMessages, toWorkingMemory } from "./to-public.js";
import type { Message, ThreadAddress, WorkingMemory } from "./types.js";

export interface ComposeOptions {
  maxTokens: number;
  format: "markdown" | "text";
  candidates: number;
  shares: ContextShares;
  thread: ThreadAddress | undefined;
  /** Whose working memory: the namespace's, the thread's, or none. */
  workingMemory: "namespace" | "thread" | undefined;
  /** Where `workingMemory: true` looks when no thread is given. */
  namespace: Namespace | undefined;
  /** The recall options (scope, filters, query) for the memories part. */
  recall: Omit<RecallOptions, "limit" | "query"> & { query?: string | undefined };
}

/** The most messages a context reads back from the end of a thread. */
const MAX_MESSAGES = 1000;
const PAGE = 100;

/**
 * Builds the memory part of a prompt from working memory, the thread's summary and recent
 * messages, and recalled memories, within one budget split by shares. The whole block is
 * measured after every addition, so it never exceeds `maxTokens` whatever the counter.
 */
export async function composeContext(
  context: MemoryContext,
  options: ComposeOptions,
  count: TokenCounter,
): Promise<ContextBlock> {
  const store = context.backend.conversations;
  await context.ready();
  const { thread, format, maxTokens } = options;
  const threadNamespace = thread && encodeNamespace(thread.namespace);

  let document: WorkingMemory | undefined;
  if (options.workingMemory) {
    if (options.workingMemory === "thread" && !thread)
      throw new EngramError("INVALID_ARGUMENT", 'workingMemory: "thread" needs a thread.', {
        details: { issues: [{ path: ["workingMemory"], message: "no thread given" }] },
      });
    const namespace = thread?.namespace ?? options.namespace;
    if (!namespace)
      throw new EngramError(
        "INVALID_ARGUMENT",
        "workingMemory needs a thread or a single namespace to read it from.",
        { details: { issues: [{ path: ["workingMemory"], message: "no namespace" }] } },
      );
    const stored = await store.getWorkingMemory({
      namespace: encodeNamespace(namespace),
      threadId: options.workingMemory === "thread" ? thread!.threadId : undefined,
    });
    document = stored && toWorkingMemory(stored);
  }

  // The summary and the messages after it, newest first, until they could fill the whole budget.
  let summary: string | undefined;
  const recent: Message[] = [];
  if (thread) {
    const record = await store.getThread(threadNamespace!, thread.threadId);
    summary = record?.summary?.text;
    let before: MessageRecord | undefined;
    let tokens = 0;
    while (record && recent.length < MAX_MESSAGES && tokens <= maxTokens) {
      const page = await store.readMessages(threadNamespace!, thread.threadId, {
        direction: "backward",
        after: record.summary?.through,
        before,
        limit: PAGE,
      });
      for (const message of toMessages(page)) {
        tokens += count(messageText(message));
        recent.push(message);
      }
      before = page.at(-1);
      if (page.length < PAGE) break;
    }
  }
  const withText = recent.filter(hasText);

  // Without a query, the latest thing the user said is what memories should answer.
  const latestUser = withText.find((message) => message.role === "user");
  const queryText = options.recall.query ?? (latestUser && messageText(latestUser));
  const recalled: RecalledMemory[] =
    queryText && queryText.trim().length > 0
      ? await recall(context, { ...options.recall, query: queryText, limit: options.candidates })
      : [];
  if (maxTokens === 0) return { text: "", tokens: 0, memories: [] };

  const selection = chooseWithinBudget(
    { document, summary, newestFirst: withText, memories: recalled },
    options,
    count,
  );
  const text = renderSelection(selection, format);
  const block: ContextBlock = {
    text,
    tokens: text.length === 0 ? 0 : count(text),
    memories: selection.memories,
  };
  if (selection.workingMemory) block.workingMemory = selection.workingMemory.document;
  if (selection.summary !== undefined) block.summary = selection.summary;
  if (thread) block.messages = selection.messages;
  return block;
}

interface Available {
  document: WorkingMemory | undefined;
  summary: string | undefined;
  newestFirst: Message[];
  memories: RecalledMemory[];
}

function chooseWithinBudget(
  available: Available,
  options: ComposeOptions,
  count: TokenCounter,
): ContextSelection {
  const { format, maxTokens } = options;
  const wmText = available.document && workingMemoryText(available.document);
  const needs: Record<ContextPart, number> = {
    workingMemory:
      wmText === undefined
        ? 0
        : partSize(
            { workingMemory: { document: available.document!, text: wmText } },
            count,
            format,
          ),
    memories: partSize({ memories: available.memories }, count, format),
    conversation: partSize(
      { summary: available.summary, messages: [...available.newestFirst].reverse() },
      count,
      format,
    ),
  };
  const present = Object.values(needs).filter((need) => need > 0).length;
  const budgets = allocate(
    maxTokens - count(SEPARATOR) * Math.max(0, present - 1),
    needs,
    options.shares,
  );

  const selection: ContextSelection = {
    workingMemory: undefined,
    summary: undefined,
    messages: [],
    memories: [],
  };
  if (wmText !== undefined) {
    const fitted = fitText(
      wmText,
      budgets.workingMemory,
      count,
      (text) => `${heading("Working memory", format)}\n${text}`,
    );
    if (fitted !== undefined)
      selection.workingMemory = { document: available.document!, text: fitted };
  }

  // The conversation: the summary takes at most half of its share when there are messages too.
  const messagesLeft = available.newestFirst.length > 0;
  if (available.summary !== undefined) {
    const room = messagesLeft ? Math.floor(budgets.conversation / 2) : budgets.conversation;
    selection.summary = fitText(
      available.summary,
      room,
      count,
      (text) => `${heading("Summary of the earlier conversation", format)}\n${text}`,
    );
  }
  const conversationSize = () =>
    partSize({ summary: selection.summary, messages: selection.messages }, count, format);
  for (const message of available.newestFirst) {
    selection.messages.unshift(message);
    if (conversationSize() > budgets.conversation) {
      selection.messages.shift();
      break;
    }
  }
  // A memory that says word for word what a message in the block says (an episode ingest kept)
  // would only repeat it.
  const shown = () => new Set(selection.messages.map((message) => messageText(message).trim()));
  const repeats = (memory: RecalledMemory, texts: Set<string>) => texts.has(memory.content.trim());

  // Memories, most relevant first; one that does not fit leaves room for shorter ones.
  let texts = shown();
  for (const memory of available.memories) {
    if (repeats(memory, texts)) continue;
    const candidate = [...selection.memories, memory];
    if (count(renderContext(candidate, format)) <= budgets.memories) selection.memories = candidate;
  }

  // Rounding and separators can leave room: extend the conversation (older messages, in order)
  // and then the memories, checking the whole block each time. A part with no share stays out.
  const fits = () => {
    const text = renderSelection(selection, format);
    return text.length === 0 || count(text) <= maxTokens;
  };
  const extendable = available.newestFirst.slice(selection.messages.length);
  for (const message of options.shares.conversation > 0 ? extendable : []) {
    selection.messages.unshift(message);
    if (!fits()) {
      selection.messages.shift();
      break;
    }
  }
  texts = shown();
  selection.memories = selection.memories.filter((memory) => !repeats(memory, texts));
  for (const memory of options.shares.memories > 0 ? available.memories : []) {
    if (selection.memories.includes(memory) || repeats(memory, texts)) continue;
    selection.memories.push(memory);
    selection.memories.sort(
      (a, b) => available.memories.indexOf(a) - available.memories.indexOf(b),
    );
    if (!fits()) selection.memories.splice(selection.memories.indexOf(memory), 1);
  }
  // And should a counter not add up (a block costing more than its parts), drop until it fits:
  // the oldest message, then the least relevant memory, then the summary, then working memory.
  while (!fits()) {
    if (selection.messages.length > 0) selection.messages.shift();
    else if (selection.memories.length > 0) selection.memories.pop();
    else if (selection.summary !== undefined) selection.summary = undefined;
    else selection.workingMemory = undefined;
  }
  return selection;
}
