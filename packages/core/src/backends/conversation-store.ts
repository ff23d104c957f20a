import type { MessageContent, MessageRole } from "../conversation/types.js";
import type { ResolvedScope } from "../namespace/scope.js";
import type { JsonObject } from "../record/memory-record.js";

/**
 * Where a message sits in its thread: its createdAt, then its append sequence number (unique
 * and increasing within a thread), so messages with the same createdAt keep append order.
 */
export interface MessagePosition {
  createdAt: number;
  seq: number;
}

/** A thread's rolling summary as stored: the position it covers through, for later folds. */
export interface StoredSummary {
  text: string;
  throughMessageId: string;
  through: MessagePosition;
  updatedAt: number;
}

/** A thread as backends keep it; namespace encoded, dates as epoch milliseconds. */
export interface ThreadRecord {
  id: string;
  namespace: string;
  title: string | undefined;
  metadata: JsonObject;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
  summary: StoredSummary | undefined;
}

/** A message as backends keep it. */
export interface MessageRecord {
  id: string;
  threadId: string;
  namespace: string;
  role: MessageRole;
  content: MessageContent;
  metadata: JsonObject;
  createdAt: number;
  seq: number;
}

/** A message to store; the backend assigns `seq`. */
export type NewMessage = Omit<MessageRecord, "seq" | "threadId" | "namespace">;

/** A working-memory document as stored. */
export interface StoredWorkingMemory {
  content: JsonObject | string;
  version: number;
  updatedAt: number;
}

/** A working-memory document's place: a namespace, and a thread when per-thread. */
export interface WorkingMemoryKey {
  namespace: string;
  threadId: string | undefined;
}

/** What a thread list continues after: the last thread of the previous page. */
export interface ThreadCursor {
  updatedAt: number;
  namespace: string;
  id: string;
}

/** Which messages a window read returns. Bounds are exclusive positions; times are createdAt. */
export interface MessageQuery {
  /** Forward reads oldest first from `after`; backward reads newest first from `before`. */
  direction: "forward" | "backward";
  after?: MessagePosition | undefined;
  before?: MessagePosition | undefined;
  /** Inclusive. */
  from?: number | undefined;
  /** Exclusive. */
  to?: number | undefined;
  roles?: readonly MessageRole[] | undefined;
  limit: number;
}

/** How append treats a thread that does not exist (or does). */
export type AppendMode = "create-if-missing" | "must-exist" | "must-create";

/** What an append did: `missing` (must-exist), `exists` (must-create), or the stored messages. */
export type AppendResult =
  | { status: "appended"; messages: MessageRecord[]; thread: ThreadRecord }
  | { status: "missing" }
  | { status: "exists" };

/** What a versioned working-memory write did. */
export type WorkingMemoryWrite =
  | { status: "written"; workingMemory: StoredWorkingMemory }
  | { status: "conflict"; version: number }
  | { status: "missing-thread" };

/** What claiming a thread for ingest found. */
export type IngestClaim =
  | { status: "claimed"; afterSeq: number }
  | { status: "busy" }
  | { status: "missing" };

/** What erasing a subtree removed. */
export interface ConversationErasure {
  threads: number;
  messages: number;
  workingMemories: number;
}

/**
 * Storage for threads, messages, working memory and ingest state, as one part of a backend.
 * Core validates everything first. Each operation on one thread is atomic, and none reads a
 * whole thread: appends and window reads cost O(log n) in the thread's length.
 */
export interface ConversationStore {
  /** Stores a new thread; `false` when the id exists in that namespace. */
  createThread(thread: ThreadRecord): Promise<boolean>;
  getThread(namespace: string, id: string): Promise<ThreadRecord | undefined>;
  /** The most recently updated thread with this id among the namespaces in scope. */
  findThread(scope: ResolvedScope, id: string): Promise<ThreadRecord | undefined>;
  /** Sets the title (`null` clears it) and/or replaces metadata; `undefined` if missing. */
  updateThread(
    namespace: string,
    id: string,
    patch: { title?: string | null | undefined; metadata?: JsonObject | undefined },
    at: number,
  ): Promise<ThreadRecord | undefined>;
  /** Deletes the thread with its messages, summary, working memory and ingest state. */
  deleteThread(namespace: string, id: string): Promise<boolean>;
  /**
   * Threads in scope ordered by (updatedAt, namespace, id), descending for `newest`, strictly
   * past `after`, whose metadata has these top-level values; at most `limit`.
   */
  listThreads(
    scope: ResolvedScope,
    options: {
      metadata: Readonly<Record<string, string | number | boolean | null>> | undefined;
      order: "newest" | "oldest";
      limit: number;
      after: ThreadCursor | undefined;
    },
  ): Promise<ThreadRecord[]>;
  /**
   * Appends messages atomically, in order, skipping ids the thread holds already (returning
   * those as stored). `thread` is what a created thread looks like.
   */
  appendMessages(
    thread: ThreadRecord,
    messages: readonly NewMessage[],
    mode: AppendMode,
    at: number,
  ): Promise<AppendResult>;
  /** Messages of one thread in query order (see `MessageQuery`). */
  readMessages(namespace: string, threadId: string, query: MessageQuery): Promise<MessageRecord[]>;
  /** Messages appended after sequence number `afterSeq`, in append order; at most `limit`. */
  readAppended(
    namespace: string,
    threadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<MessageRecord[]>;
  /** Messages of one thread by id, in the order asked. */
  getMessages(
    namespace: string,
    threadId: string,
    ids: readonly string[],
  ): Promise<(MessageRecord | undefined)[]>;
  /** Messages by id in any thread in scope, in the order asked (the newest thread's on a tie). */
  findMessages(
    scope: ResolvedScope,
    ids: readonly string[],
  ): Promise<(MessageRecord | undefined)[]>;
  /** Replaces role, content and metadata of one message; `undefined` if it is missing. */
  updateMessage(
    namespace: string,
    threadId: string,
    message: Pick<MessageRecord, "id" | "role" | "content" | "metadata">,
    at: number,
  ): Promise<MessageRecord | undefined>;
  /** Deletes messages by id; returns how many existed. */
  deleteMessages(
    namespace: string,
    threadId: string,
    ids: readonly string[],
    at: number,
  ): Promise<number>;
  /** Stores a thread's summary; `false` if the thread is missing. */
  setSummary(namespace: string, threadId: string, summary: StoredSummary): Promise<boolean>;
  getWorkingMemory(key: WorkingMemoryKey): Promise<StoredWorkingMemory | undefined>;
  /**
   * Writes a document as version (stored + 1), atomically checking `expected` first when given
   * (0: it must not exist). A per-thread document needs its thread.
   */
  writeWorkingMemory(
    key: WorkingMemoryKey,
    content: JsonObject | string,
    expected: number | undefined,
    at: number,
  ): Promise<WorkingMemoryWrite>;
  deleteWorkingMemory(key: WorkingMemoryKey): Promise<boolean>;
  /**
   * Takes the thread's ingest lease until `until` unless another owner holds an unexpired one,
   * and returns the sequence number ingest has reached.
   */
  claimIngest(
    namespace: string,
    threadId: string,
    owner: string,
    until: number,
    now: number,
  ): Promise<IngestClaim>;
  /**
   * Records that ingest reached `throughSeq` and extends the lease, if `owner` still holds it;
   * `false` when the lease was lost.
   */
  advanceIngest(
    namespace: string,
    threadId: string,
    owner: string,
    throughSeq: number,
    until: number,
  ): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it. */
  releaseIngest(namespace: string, threadId: string, owner: string): Promise<void>;
  /** Erases every thread, message and working memory in the encoded subtree. */
  deleteSubtree(prefix: string): Promise<ConversationErasure>;
}
