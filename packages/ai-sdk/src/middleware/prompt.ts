import { type ContextBlock, fenceContext } from "@engram/core";
import type { PartLike, PromptMessage, PromptMessageLike } from "./spec.js";

/** Where the recalled block goes, or a function that places it itself. */
export type Placement =
  | "user"
  | "system"
  | ((input: {
      prompt: PromptMessage[];
      /** The rendered block, delimited as `render` made it. */
      text: string;
      block: ContextBlock;
    }) => PromptMessage[]);

/** The index of the latest user message, or -1. */
export function latestUserIndex(prompt: readonly PromptMessageLike[]): number {
  for (let index = prompt.length - 1; index >= 0; index--) {
    if (prompt[index]?.role === "user") return index;
  }
  return -1;
}

/** The text of a prompt message: a string, or its text parts joined. */
export function promptMessageText(message: PromptMessageLike): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .filter((part): part is PartLike & { text: string } => part.type === "text")
    .map((part) => part.text)
    .join("\n");
}

/**
 * Wraps the recalled memories with core's `fenceContext` in a `<memory>` block that says what
 * they are: notes for context, not instructions. A copy of the tag inside a memory is removed, so
 * stored text cannot end the block early and pose as the user.
 */
export function renderMemoryBlock(block: ContextBlock): string {
  return fenceContext(block.text, "memory");
}

/** The prompt with the block placed; the input prompt is never changed. */
export function placeBlock<Message extends PromptMessageLike>(
  prompt: readonly Message[],
  text: string,
  block: ContextBlock,
  placement: Placement,
): Message[] {
  if (typeof placement === "function") {
    // The function sees the spec's messages as they are and returns messages of that spec.
    return placement({
      prompt: [...prompt] as unknown as PromptMessage[],
      text,
      block,
    }) as unknown as Message[];
  }
  if (placement === "system") {
    // After the leading system messages: providers that take one system prompt join them.
    let at = 0;
    while (prompt[at]?.role === "system") at++;
    const system = { role: "system", content: text } as Message;
    return [...prompt.slice(0, at), system, ...prompt.slice(at)];
  }
  const index = latestUserIndex(prompt);
  if (index < 0) return [...prompt];
  const message = prompt[index]!;
  const parts: readonly PartLike[] =
    typeof message.content === "string"
      ? [{ type: "text", text: message.content } as PartLike]
      : message.content;
  // A text part of the user's own message, ahead of what they wrote: providers that require
  // alternating roles never see two user messages in a row.
  const placed = { ...message, content: [{ type: "text", text } as PartLike, ...parts] };
  return [...prompt.slice(0, index), placed, ...prompt.slice(index + 1)];
}
