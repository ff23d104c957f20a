import type { JsonObject, JsonValue, Memory, Namespace } from "@engram/core";

// The conversations API of specs/conversations.md (issue 10), as far as the middleware uses it.
// TODO(conversations): import these from @engram/core once it exports them.

export type MessageRole = "user" | "assistant" | "system" | "tool";
export type MessagePart = { type: string; [field: string]: JsonValue };
export type MessageContent = string | MessagePart[];

export interface MessageInput {
  id?: string;
  role: MessageRole;
  content: MessageContent;
  metadata?: JsonObject;
  createdAt?: Date | number | string;
}

export interface ThreadAddress {
  namespace: Namespace;
  threadId: string;
}

/** What `ingest` accepts besides the thread: see core's `IngestOptions`. */
export type IngestOptions = Record<string, unknown>;

export type ConversationMemory = Memory & {
  messages: {
    append(input: ThreadAddress & { messages: MessageInput[] }): Promise<unknown>;
  };
  ingest(input: ThreadAddress & IngestOptions): Promise<unknown>;
};
