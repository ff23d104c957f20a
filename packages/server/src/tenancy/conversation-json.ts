import type {
  JsonObject,
  Message,
  MessageContent,
  MessageRole,
  Thread,
  WorkingMemory,
} from "@engram/core";
import type { Principal } from "./principal.js";
import { relativeNamespace } from "./resolve-namespace.js";

/** A thread as the API returns it: dates as ISO strings, the namespace relative to the caller's root. */
export interface ThreadJson {
  id: string;
  namespace: string[];
  title: string | null;
  metadata: JsonObject;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
  summary: { text: string; throughMessageId: string; updatedAt: string } | null;
}

/** A message as the API returns it. */
export interface MessageJson {
  id: string;
  threadId: string;
  namespace: string[];
  role: MessageRole;
  content: MessageContent;
  metadata: JsonObject;
  createdAt: string;
}

/** A working-memory document as the API returns it. */
export interface WorkingMemoryJson {
  content: JsonObject | string;
  version: number;
  updatedAt: string;
}

/** Converts a thread to its API form for this caller. */
export function toThreadJson(principal: Principal, thread: Thread): ThreadJson {
  return {
    id: thread.id,
    namespace: relativeNamespace(principal, thread.namespace),
    title: thread.title ?? null,
    metadata: thread.metadata,
    createdAt: thread.createdAt.toISOString(),
    updatedAt: thread.updatedAt.toISOString(),
    messageCount: thread.messageCount,
    summary: thread.summary
      ? {
          text: thread.summary.text,
          throughMessageId: thread.summary.throughMessageId,
          updatedAt: thread.summary.updatedAt.toISOString(),
        }
      : null,
  };
}

/** Converts a message to its API form for this caller. */
export function toMessageJson(principal: Principal, message: Message): MessageJson {
  return {
    id: message.id,
    threadId: message.threadId,
    namespace: relativeNamespace(principal, message.namespace),
    role: message.role,
    content: message.content,
    metadata: message.metadata,
    createdAt: message.createdAt.toISOString(),
  };
}

/** Converts a working-memory document to its API form. */
export function toWorkingMemoryJson(document: WorkingMemory): WorkingMemoryJson {
  return {
    content: document.content,
    version: document.version,
    updatedAt: document.updatedAt.toISOString(),
  };
}
