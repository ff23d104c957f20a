import type {
  MessagePosition,
  MessageRecord,
  StoredWorkingMemory,
  ThreadRecord,
} from "../../conversation-store.js";

/** Sort keys are 16 digits of createdAt then 12 of the append sequence number. */
export const SORT_KEY_LENGTH = 28;

const pad = (value: number, width: number) => String(value).padStart(width, "0");

/** createdAt as the first 16 characters of a sort key (createdAt is 0..8.64e15). */
export const timeKey = (createdAt: number) => pad(createdAt, 16);

/** The sort key of a position: lexicographic order is (createdAt, seq) order. */
export const sortKey = (position: MessagePosition) =>
  `${timeKey(position.createdAt)}${pad(position.seq, 12)}`;

/** A message's JSON body as stored after its sort key. */
export function messageBody(message: Pick<MessageRecord, "role" | "content" | "metadata">): string {
  return JSON.stringify({
    role: message.role,
    content: message.content,
    metadata: message.metadata,
  });
}

/** A stored message value (sort key + body) back into a record. */
export function decodeMessage(
  id: string,
  value: string,
  namespace: string,
  threadId: string,
): MessageRecord {
  const body = JSON.parse(value.slice(SORT_KEY_LENGTH));
  return {
    id,
    threadId,
    namespace,
    role: body.role,
    content: body.content,
    metadata: body.metadata,
    createdAt: Number(value.slice(0, 16)),
    seq: Number(value.slice(16, SORT_KEY_LENGTH)),
  };
}

/** `[id, value, id, value, ...]` script replies into records, skipping missing values. */
export function decodeMessagePairs(
  reply: unknown,
  namespace: string,
  threadId: string,
): MessageRecord[] {
  const flat = reply as (string | null)[];
  const out: MessageRecord[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const value = flat[i + 1];
    if (value) out.push(decodeMessage(flat[i]!, value, namespace, threadId));
  }
  return out;
}

/**
 * The fields of a thread's hash that make its record, in the order reads ask for them (HMGET):
 * not its working memory or ingest state, which live in the same hash.
 */
export const THREAD_FIELDS = [
  "id",
  "namespace",
  "title",
  "metadata",
  "createdAt",
  "updatedAt",
  "messageCount",
  "summary",
] as const;

/** A thread's fields (HMGET of THREAD_FIELDS) as a record; undefined when there is no thread. */
export function decodeThread(reply: unknown): ThreadRecord | undefined {
  const [id, namespace, title, metadata, createdAt, updatedAt, messageCount, summary] =
    reply as (string | null)[];
  if (!id) return undefined;
  return {
    id,
    namespace: namespace!,
    title: title ?? undefined,
    metadata: JSON.parse(metadata ?? "{}"),
    createdAt: Number(createdAt),
    updatedAt: Number(updatedAt),
    messageCount: Number(messageCount ?? 0),
    summary: summary ? JSON.parse(summary) : undefined,
  };
}

/** `[content, version, updatedAt]` (HMGET) as a document, or undefined. */
export function decodeWorkingMemory(reply: unknown): StoredWorkingMemory | undefined {
  const [content, version, updatedAt] = reply as (string | null)[];
  if (content === null || content === undefined) return undefined;
  return { content: JSON.parse(content), version: Number(version), updatedAt: Number(updatedAt) };
}
