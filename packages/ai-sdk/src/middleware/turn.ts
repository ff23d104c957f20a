import type { JsonValue, MessageInput, MessagePart, MessageRole } from "@engram/core";
import type { PartLike, PromptMessageLike } from "./spec.js";

// Provider plumbing that means nothing once stored.
const DROPPED_FIELDS = new Set(["providerOptions", "providerMetadata"]);

/** A value as JSON: binary data and provider plumbing left out, URLs and dates as strings. */
function toJson(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof URL) return value.href;
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return undefined;
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const [key, field] of Object.entries(value)) {
      if (DROPPED_FIELDS.has(key)) continue;
      const json = toJson(field);
      if (json !== undefined) out[key] = json;
    }
    return out;
  }
  return undefined;
}

/** Tool-call input arrives as a JSON string from the model; stored, it is the JSON value. */
function parseInput(input: unknown): JsonValue {
  if (typeof input !== "string") return toJson(input) ?? null;
  try {
    return JSON.parse(input) as JsonValue;
  } catch {
    return input;
  }
}

/** One prompt or output part in the conversational shape core stores. */
function toMessagePart(part: PartLike): MessagePart | undefined {
  const json = toJson(part) as MessagePart | undefined;
  if (!json) return undefined;
  if (part.type === "tool-call")
    return { ...json, input: parseInput((part as { input?: unknown }).input) };
  // File data is binary or base64 and may be large: keep what it was, not the bytes.
  if (part.type === "file" && typeof json.data === "string" && !/^https?:\/\//.test(json.data)) {
    const { data: _data, ...rest } = json;
    return rest as MessagePart;
  }
  // Stream bookkeeping and empty text are not content.
  if (part.type === "text" && (part as { text?: unknown }).text === "") return undefined;
  return json;
}

/** Parts as stored: plain text when that is all there is. */
export function toMessageContent(parts: readonly PartLike[]): MessageInput["content"] {
  const stored = parts.map(toMessagePart).filter((part): part is MessagePart => part !== undefined);
  if (stored.every((part) => part.type === "text")) {
    return stored.map((part) => part.text as string).join("");
  }
  return stored;
}

/**
 * The messages of this call that the thread has not seen yet: everything after the last
 * assistant message (the user's new message; in a tool loop's later steps, the tool results).
 * Earlier messages came through earlier calls, or the application keeps them itself.
 */
export function newInputMessages(
  prompt: readonly PromptMessageLike[],
  createdAt: Date,
): MessageInput[] {
  let start = prompt.length;
  while (start > 0 && prompt[start - 1]?.role !== "assistant") start--;
  return prompt
    .slice(start)
    .filter((message) => message.role !== "system")
    .map((message) => ({
      role: message.role as MessageRole,
      content:
        typeof message.content === "string" ? message.content : toMessageContent(message.content),
      createdAt,
    }))
    .filter((message) => message.content.length > 0);
}

/** The model's reply as an assistant message, or undefined when it said nothing. */
export function replyMessage(
  content: readonly PartLike[],
  createdAt: Date,
  metadata: Record<string, JsonValue>,
): MessageInput | undefined {
  const stored = toMessageContent(content);
  if (stored.length === 0) return undefined;
  return { role: "assistant", content: stored, createdAt, metadata };
}
