import type { MessageRecord, StoredWorkingMemory, ThreadRecord } from "../../conversation-store.js";

/** A `threads` row. */
export interface ThreadRow {
  rid: number;
  namespace: string;
  id: string;
  title: string | null;
  metadata: string;
  created_at: number;
  updated_at: number;
  message_count: number;
  summary: string | null;
}

export const THREAD_COLUMNS =
  "t.rid, t.namespace, t.id, t.title, t.metadata, t.created_at, t.updated_at, t.message_count, t.summary";

export function rowToThread(row: ThreadRow): ThreadRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    title: row.title ?? undefined,
    metadata: JSON.parse(row.metadata),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
    summary: row.summary === null ? undefined : JSON.parse(row.summary),
  };
}

/** A `messages` row joined with its thread's namespace and id. */
export interface MessageRow {
  seq: number;
  id: string;
  role: string;
  content: string;
  metadata: string;
  created_at: number;
  namespace: string;
  thread_id: string;
}

export const MESSAGE_COLUMNS =
  "m.seq, m.id, m.role, m.content, m.metadata, m.created_at, t.namespace, t.id AS thread_id";

export function rowToMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    threadId: row.thread_id,
    namespace: row.namespace,
    role: row.role as MessageRecord["role"],
    content: JSON.parse(row.content),
    metadata: JSON.parse(row.metadata),
    createdAt: row.created_at,
    seq: row.seq,
  };
}

export interface WorkingMemoryRow {
  content: string;
  version: number;
  updated_at: number;
}

export function rowToWorkingMemory(row: WorkingMemoryRow): StoredWorkingMemory {
  return { content: JSON.parse(row.content), version: row.version, updatedAt: row.updated_at };
}
