import type { MemoryContext } from "../memory/context.js";
import { messageText } from "./message-text.js";
import type { Candidate, Message } from "./types.js";

/**
 * The extractor that needs no model: each user message with text becomes an `episode`
 * candidate (cut to the content limit), so what users say is recallable later.
 */
export function defaultExtract(context: MemoryContext) {
  return async ({ messages }: { messages: Message[] }): Promise<Candidate[]> =>
    messages.flatMap((message): Candidate[] => {
      if (message.role !== "user") return [];
      const text = messageText(message).trim().slice(0, context.limits.contentLength);
      return text.length === 0
        ? []
        : [{ content: text, kind: "episode", messageIds: [message.id] }];
    });
}
