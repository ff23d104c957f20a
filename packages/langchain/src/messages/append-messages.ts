import type { Memory, Message, MessageInput, Namespace } from "@engram/core";

// The most messages core appends in one call.
const BATCH = 1000;

/**
 * Appends messages to a thread: in one all-or-nothing write up to 1,000 messages, in several
 * beyond. Ids make a retry after a partial failure safe: what was stored is skipped.
 */
export async function appendMessages(
  memory: Memory,
  address: { namespace: Namespace; threadId: string },
  messages: readonly MessageInput[],
): Promise<Message[]> {
  const stored: Message[] = [];
  for (let start = 0; start < messages.length; start += BATCH) {
    stored.push(
      ...(await memory.messages.append({
        ...address,
        messages: messages.slice(start, start + BATCH),
      })),
    );
  }
  return stored;
}
