import { type Memory, type Message, type Namespace, validateNamespace } from "@engram/core";
import { BaseListChatMessageHistory } from "@langchain/core/chat_history";
import type { BaseMessage } from "@langchain/core/messages";
import { z } from "zod";
import { appendMessages } from "../messages/append-messages.js";
import { fromEngramMessage } from "../messages/from-engram-message.js";
import { toEngramMessage } from "../messages/to-engram-message.js";
import { memoryShape } from "../options/memory-shape.js";
import { parseOptions } from "../options/parse-options.js";

/** Which thread a history reads and writes. */
export interface EngramChatMessageHistoryOptions {
  memory: Memory;
  /** The namespace the thread lives in, e.g. `["acme", "users", "alice"]`. */
  namespace: Namespace;
  /** The thread (a LangChain session id); created on the first message. 1-256 characters. */
  threadId: string;
  /** `getMessages` returns only the newest this many; default the whole thread. */
  last?: number;
}

const optionsSchema = z.strictObject({
  memory: memoryShape,
  namespace: z.array(z.string()),
  threadId: z.string().min(1).max(256),
  last: z.number().int().min(1).optional(),
});

// The most a single list or delete call handles.
const PAGE = 1000;

/**
 * A LangChain chat history kept as an Engram conversation thread: every message, tool calls
 * included, reads back as it was written, and the thread is shared with every other Engram
 * adapter, the server and `forgetNamespace`.
 */
export class EngramChatMessageHistory extends BaseListChatMessageHistory {
  lc_namespace = ["engram", "langchain", "stores", "message"];

  readonly memory: Memory;
  readonly namespace: Namespace;
  readonly threadId: string;
  readonly #last: number | undefined;

  constructor(options: EngramChatMessageHistoryOptions) {
    super();
    const parsed = parseOptions(optionsSchema, options, "EngramChatMessageHistory options");
    this.memory = parsed.memory;
    this.namespace = validateNamespace(parsed.namespace);
    this.threadId = parsed.threadId;
    this.#last = parsed.last;
  }

  /** The stored messages, oldest first, `last` of them at most (all by default). */
  async #stored(): Promise<Message[]> {
    const address = { namespace: this.namespace, threadId: this.threadId };
    const pages: Message[][] = [];
    let wanted = this.#last ?? Number.POSITIVE_INFINITY;
    let before: string | undefined;
    while (wanted > 0) {
      const page = await this.memory.messages.list({
        ...address,
        limit: Math.min(PAGE, wanted),
        ...(before === undefined ? {} : { before }),
      });
      pages.unshift(page.messages);
      wanted -= page.messages.length;
      before = page.previousCursor;
      if (before === undefined || page.messages.length === 0) break;
    }
    return pages.flat();
  }

  /** The thread's messages, oldest first, as LangChain messages. */
  async getMessages(): Promise<BaseMessage[]> {
    return (await this.#stored()).flatMap(fromEngramMessage);
  }

  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /**
   * Appends the messages: all or none up to 1,000 at a time. Every message is converted first,
   * so one that cannot be stored rejects the call before anything is written.
   */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const inputs = messages.map(toEngramMessage);
    await appendMessages(
      this.memory,
      { namespace: this.namespace, threadId: this.threadId },
      inputs,
    );
  }

  /** Empties the thread: every message goes, the thread itself stays. */
  override async clear(): Promise<void> {
    const address = { namespace: this.namespace, threadId: this.threadId };
    for (;;) {
      const page = await this.memory.messages.list({ ...address, limit: PAGE });
      if (page.messages.length === 0) return;
      const deleted = await this.memory.messages.delete({
        ...address,
        ids: page.messages.map((message) => message.id),
      });
      // Someone else emptied it meanwhile; looping on would never end.
      if (deleted === 0) return;
    }
  }
}
