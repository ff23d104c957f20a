import type {
  MessageRecord,
  StoredWorkingMemory,
  ThreadRecord,
} from "../backends/conversation-store.js";
import { decodeNamespace, type Namespace } from "../namespace/namespace.js";
import type { Message, Thread, WorkingMemory } from "./types.js";

/** A stored thread as callers see it. */
export function toThread(record: ThreadRecord): Thread {
  return {
    id: record.id,
    namespace: decodeNamespace(record.namespace),
    title: record.title,
    metadata: record.metadata,
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(record.updatedAt),
    messageCount: record.messageCount,
    summary: record.summary && {
      text: record.summary.text,
      throughMessageId: record.summary.throughMessageId,
      updatedAt: new Date(record.summary.updatedAt),
    },
  };
}

/** A stored message as callers see it; `namespace` saves decoding it again for each message. */
export function toMessage(record: MessageRecord, namespace?: Namespace): Message {
  return {
    id: record.id,
    threadId: record.threadId,
    namespace: namespace ?? decodeNamespace(record.namespace),
    role: record.role,
    content: record.content,
    metadata: record.metadata,
    createdAt: new Date(record.createdAt),
  };
}

/** A stored working-memory document as callers see it. */
export function toWorkingMemory(stored: StoredWorkingMemory): WorkingMemory {
  return {
    content: stored.content,
    version: stored.version,
    updatedAt: new Date(stored.updatedAt),
  };
}

/** Stored messages as callers see them, each namespace decoded once (a page shares one). */
export function toMessages(records: readonly MessageRecord[]): Message[] {
  const decoded = new Map<string, Namespace>();
  return records.map((record) => {
    let namespace = decoded.get(record.namespace);
    if (!namespace) {
      namespace = decodeNamespace(record.namespace);
      decoded.set(record.namespace, namespace);
    }
    return toMessage(record, namespace);
  });
}
