import { encodeNamespace, type Namespace } from "@engram/core";
import type { BaseMessage } from "@langchain/core/messages";
import { appendMessages } from "../messages/append-messages.js";
import { toEngramMessage } from "../messages/to-engram-message.js";
import type { ResolvedMiddlewareOptions } from "./options.js";
import { RECALL_MESSAGE_ID } from "./recall-message.js";

const REMEMBERED_THREADS = 10_000;

/**
 * Writes a run's messages to its thread. The agent's state holds the whole conversation, and
 * append skips ids the thread has, so a retry or an overlap is harmless; the id of the last
 * message written per thread lets the next turn send only what is new.
 */
export function createTurnWriter(options: ResolvedMiddlewareOptions) {
  const lastWritten = new Map<string, string>();
  const { memory } = options;

  return {
    /** A key naming the thread, for queueing its writes in order. */
    threadKey(namespace: Namespace, threadId: string): string {
      return `${encodeNamespace(namespace)}\u0000${threadId}`;
    },

    async write(namespace: Namespace, threadId: string, messages: readonly BaseMessage[]) {
      const key = this.threadKey(namespace, threadId);
      const stored = messages.filter((message) => message.id !== RECALL_MESSAGE_ID);
      const last = lastWritten.get(key);
      const from = last === undefined ? -1 : stored.findIndex((message) => message.id === last);
      const fresh = stored.slice(from + 1);
      if (fresh.length > 0) {
        const written = await appendMessages(
          memory,
          { namespace, threadId },
          fresh.map(toEngramMessage),
        );
        const newest = written.at(-1)?.id;
        lastWritten.delete(key);
        if (newest !== undefined) lastWritten.set(key, newest);
        if (lastWritten.size > REMEMBERED_THREADS) {
          lastWritten.delete(lastWritten.keys().next().value as string);
        }
      }
      if (options.ingest) await memory.ingest({ ...options.ingest, namespace, threadId });
    },
  };
}
