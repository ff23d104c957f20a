import { fenceContext } from "@engram/core";
import { type BaseMessage, HumanMessage } from "@langchain/core/messages";

/** The id of the message that carries recalled memories into a model call (never stored). */
export const RECALL_MESSAGE_ID = "engram-recalled-memories";

/** The index of the latest human message, or -1. */
export function latestHumanIndex(messages: readonly BaseMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (HumanMessage.isInstance(messages[index])) return index;
  }
  return -1;
}

/**
 * Recalled memories as a user-side message, fenced by core as reference data: recalled text was
 * written by users and tools earlier, so it must never read as instructions or sit in the
 * system prompt.
 */
export function toRecallMessage(text: string): HumanMessage {
  return new HumanMessage({ id: RECALL_MESSAGE_ID, content: fenceContext(text) });
}

/** The messages with the recall message placed right before the latest human message. */
export function withRecallMessage(
  messages: readonly BaseMessage[],
  recall: HumanMessage,
): BaseMessage[] {
  const index = latestHumanIndex(messages);
  return [...messages.slice(0, index), recall, ...messages.slice(index)];
}
