import type { Instant, RecalledMemory } from "../memory/types.js";
import type { Namespace, Scope } from "../namespace/index.js";
import type { JsonObject, JsonValue, MemoryKind } from "../record/memory-record.js";

/** Who said a message. */
export type MessageRole = "user" | "assistant" | "system" | "tool";

/**
 * One part of a structured message: text, a tool call, a tool result, or any typed JSON part.
 * Conventional shapes (adapters use them so that `messageText` works everywhere):
 * `{ type: "text", text }`, `{ type: "tool-call", toolCallId, toolName, input }`,
 * `{ type: "tool-result", toolCallId, toolName, output, isError? }`. Anything else is kept as given.
 */
export type MessagePart = { type: string; [field: string]: JsonValue };

/** Plain text, or an ordered list of parts. */
export type MessageContent = string | MessagePart[];

/** Where a thread lives: a namespace and an id unique within it. */
export interface ThreadAddress {
  namespace: Namespace;
  threadId: string;
}

/** The rolling summary of a thread's older messages. */
export interface ThreadSummary {
  text: string;
  /** The newest message the summary covers. */
  throughMessageId: string;
  updatedAt: Date;
}

/** A conversation in a namespace. */
export interface Thread {
  /** Caller-given (1-256 characters) or generated (UUIDv7). */
  id: string;
  namespace: Namespace;
  title: string | undefined;
  metadata: JsonObject;
  createdAt: Date;
  /** Last change to the thread or its messages: lists sort by it, newest first. */
  updatedAt: Date;
  /** Messages in the thread now. */
  messageCount: number;
  /** The rolling summary of older messages, once `ingest` has summarised some. */
  summary: ThreadSummary | undefined;
}

/** One message of a thread. */
export interface Message {
  /** Caller-given (1-256 characters) or generated (UUIDv7); unique in its thread. */
  id: string;
  threadId: string;
  namespace: Namespace;
  role: MessageRole;
  content: MessageContent;
  metadata: JsonObject;
  /** Caller-given or the append time. Messages are ordered by createdAt, then append order. */
  createdAt: Date;
}

/** A message to append. */
export interface MessageInput {
  id?: string;
  role: MessageRole;
  content: MessageContent;
  metadata?: JsonObject;
  createdAt?: Instant;
}

/** A small document per namespace, or per thread: a user's profile, running notes. */
export interface WorkingMemory {
  /** A JSON object (structured) or a string (e.g. a markdown template). */
  content: JsonObject | string;
  /** 1 on the first write, +1 on each write. Pass it back to detect concurrent writers. */
  version: number;
  updatedAt: Date;
}

/** A working-memory document: per namespace, or per thread when `threadId` is given. */
export interface WorkingMemoryAddress {
  namespace: Namespace;
  threadId?: string;
}

/** A page of threads. */
export interface ThreadPage {
  threads: Thread[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor: string | undefined;
}

/** A window of a thread, oldest first. */
export interface MessageWindow {
  messages: Message[];
  /** A message id to pass as `before` for the older neighbouring page; absent when there is none. */
  previousCursor: string | undefined;
  /** A message id to pass as `after` for the newer neighbouring page; absent when there is none. */
  nextCursor: string | undefined;
}

export interface CreateThreadInput {
  namespace: Namespace;
  id?: string;
  title?: string;
  metadata?: JsonObject;
  createdAt?: Instant;
}

export interface UpdateThreadInput extends ThreadAddress {
  /** `null` clears the title. */
  title?: string | null;
  /** Replaces the metadata object. */
  metadata?: JsonObject;
}

export interface ListThreadsOptions extends Scope {
  /** Top-level metadata equality, type-strict. */
  metadata?: Record<string, string | number | boolean | null>;
  /** By `updatedAt`; default `"newest"`. */
  order?: "newest" | "oldest";
  /** 1..1000, default 50. */
  limit?: number;
  cursor?: string;
}

export interface CloneThreadInput extends ThreadAddress {
  /** Where the copy goes; by default the same namespace, a new id, the source's title and metadata. */
  to?: { namespace?: Namespace; id?: string; title?: string; metadata?: JsonObject };
  /** Only these messages (kept in thread order). */
  messageIds?: string[];
  /** Only the newest `last` messages. */
  last?: number;
  /** Keep the source's message ids rather than generating new ones. */
  keepMessageIds?: boolean;
}

export interface AppendMessagesInput extends ThreadAddress {
  messages: MessageInput[];
  /** `false`: the thread must exist (`NOT_FOUND` otherwise). Default `true`. */
  createThread?: boolean;
}

export interface ListMessagesOptions extends ThreadAddress {
  /** The newest n messages (default 50 when nothing else is given). */
  last?: number;
  /** A message id (exclusive) to read older messages from. */
  before?: string;
  /** A message id (exclusive) to read newer messages from. */
  after?: string;
  /** createdAt at or after this instant. */
  from?: Instant;
  /** createdAt before this instant. */
  to?: Instant;
  /** 1..1000. With `after` it reads forward, otherwise backward from the end or `before`. */
  limit?: number;
  roles?: MessageRole[];
}

export type GetMessagesInput = (ThreadAddress | Scope) & { ids: string[] };

export interface UpdateMessageInput extends ThreadAddress {
  id: string;
  content?: MessageContent;
  role?: MessageRole;
  /** Replaces the metadata object. */
  metadata?: JsonObject;
}

export interface DeleteMessagesInput extends ThreadAddress {
  ids: string[];
}

export interface ReplaceWorkingMemoryInput extends WorkingMemoryAddress {
  content: JsonObject | string;
  /** Write only if the stored version is still this one (0: it must not exist yet); else `CONFLICT`. */
  version?: number;
  /** A zod (or any Standard Schema) schema, or a JSON Schema object, the content must pass. */
  schema?: unknown;
}

export interface PatchWorkingMemoryInput extends WorkingMemoryAddress {
  /** A JSON merge patch (RFC 7386): `null` removes a field, objects merge, the rest replaces. */
  patch: JsonObject;
  version?: number;
  schema?: unknown;
}

/** A fact an extractor proposes. */
export interface Candidate {
  content: string;
  /** Default `"fact"`. */
  kind?: MemoryKind;
  tags?: string[];
  importance?: number;
  metadata?: JsonObject;
  /**
   * The messages it came from (ids of the messages the extractor was given); recorded as its
   * source in history. Default: every message the extractor was given.
   */
  messageIds?: string[];
}

/** What to do with one candidate, given the similar memories that exist. */
export type Decision =
  | { action: "add" }
  | { action: "update"; memoryId: string; content?: string }
  | { action: "delete"; memoryId: string }
  | { action: "none" };

/** Turns new messages into candidate facts, e.g. with an LLM's structured output. */
export type Extract = (input: { thread: Thread; messages: Message[] }) => Promise<Candidate[]>;

/** Chooses what to do with a candidate given the most similar memories it may touch. */
export type Decide = (input: {
  candidate: Candidate;
  similar: RecalledMemory[];
}) => Promise<Decision>;

/** Folds messages into a running summary. */
export type SummarizeThread = (input: {
  previous: string | undefined;
  messages: Message[];
}) => Promise<string>;

export interface IngestOptions {
  /** Default: no model; each new user message (its text) becomes an `episode` candidate. */
  extract?: Extract;
  /**
   * Default: `"none"` when a similar memory scores at or above the dedup threshold, else
   * `"add"`. A decision naming a memory that is not among `similar` is refused.
   */
  decide?: Decide;
  /**
   * Where memories go; default the thread's namespace. (Not `namespace`: in an ingest call that
   * field is the thread's.)
   */
  into?: Namespace;
  /** How many similar memories each candidate is shown; default 5. */
  similar?: number;
  /**
   * Folds older messages into `thread.summary` once the messages not yet summarised exceed
   * `summaryTokens` (default 2000), keeping the newest `keepRecent` (default 10) out of it.
   */
  summarize?: SummarizeThread;
  summaryTokens?: number;
  keepRecent?: number;
  /** Messages handed to `extract` at once; default 50. */
  batchSize?: number;
}

/** What one decision did. */
export interface IngestDecision {
  action: "add" | "update" | "delete" | "none";
  /** The memory added, updated or deleted (for `none`, the similar memory that made it redundant). */
  memoryId: string | undefined;
  candidate: Candidate;
  /** Why a proposed decision was not applied (it named a memory the decider was not shown). */
  refused?: string;
}

/** What one `ingest` call did. */
export interface IngestReport {
  /** Messages read in this call (0 when nothing new, or when another ingest holds the thread). */
  messages: number;
  decisions: IngestDecision[];
  /** True when this call updated the thread's summary. */
  summarized: boolean;
  /** True when another ingest of this thread was running, so this call did nothing. */
  busy?: boolean;
}
