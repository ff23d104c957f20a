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

/** A flat HGETALL reply as an object. */
export function hashFields(reply: unknown): Record<string, string> {
  const flat = reply as string[];
  const fields: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

/** A thread hash (HGETALL) as a record; undefined when the hash is empty (no thread). */
export function decodeThread(reply: unknown): ThreadRecord | undefined {
  const fields = hashFields(reply);
  if (fields.id === undefined) return undefined;
  return {
    id: fields.id,
    namespace: fields.namespace!,
    title: fields.title,
    metadata: JSON.parse(fields.metadata ?? "{}"),
    createdAt: Number(fields.createdAt),
    updatedAt: Number(fields.updatedAt),
    messageCount: Number(fields.messageCount ?? 0),
    summary: fields.summary === undefined ? undefined : JSON.parse(fields.summary),
  };
}

/** `[content, version, updatedAt]` (HMGET) as a document, or undefined. */
export function decodeWorkingMemory(reply: unknown): StoredWorkingMemory | undefined {
  const [content, version, updatedAt] = reply as (string | null)[];
  if (content === null || content === undefined) return undefined;
  return { content: JSON.parse(content), version: Number(version), updatedAt: Number(updatedAt) };
}
