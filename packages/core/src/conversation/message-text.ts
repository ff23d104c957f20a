import type { Message } from "./types.js";

/** Text of a message: the string itself, or its `text` parts joined with newlines. */
export function messageText(message: Pick<Message, "content">): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return content
    .flatMap((part) => (part.type === "text" && typeof part.text === "string" ? [part.text] : []))
    .join("\n");
}
