// Mirrors the conversations API of @engram/core (specs/conversations.md) until it lands there;
// then these come from "@engram/core".
import type { JsonObject, JsonValue, Namespace } from "@engram/core";

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

export interface Message {
  id: string;
  threadId: string;
  namespace: Namespace;
  role: MessageRole;
  content: MessageContent;
  metadata: JsonObject;
  createdAt: Date;
}
