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

/** Options of `memory.ingest` (see the spec); typed loosely until core exports them. */
export interface IngestOptions {
  /** Where memories go; default the thread's namespace. */
  into?: Namespace;
  [option: string]: unknown;
}

/** The conversation methods the adapter uses, as the spec names them. */
export interface ConversationMemory {
  messages: {
    append(input: {
      namespace: Namespace;
      threadId: string;
      messages: MessageInput[];
      createThread?: boolean;
    }): Promise<Message[]>;
    list(input: {
      namespace: Namespace;
      threadId: string;
      last?: number;
      before?: string;
      after?: string;
      limit?: number;
    }): Promise<{
      messages: Message[];
      previousCursor: string | undefined;
      nextCursor: string | undefined;
    }>;
    delete(input: { namespace: Namespace; threadId: string; ids: string[] }): Promise<number>;
  };
  ingest(input: { namespace: Namespace; threadId: string } & IngestOptions): Promise<unknown>;
}
