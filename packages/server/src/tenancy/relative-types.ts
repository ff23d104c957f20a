import type {
  HistoryEntry,
  MemoryFilter,
  RecallMode,
  RememberInput,
  RememberResult,
} from "@engram/core";
import type { RelativeThreadAddress } from "./confine-conversations.js";
import type { MessageJson, WorkingMemoryJson } from "./conversation-json.js";
import type { MemoryJson } from "./memory-json.js";

// The shapes a confined caller passes and gets back: namespaces relative to its root.

/** A namespace, or several, relative to the caller's root. */
export type RelativeNamespaces = readonly string[] | readonly (readonly string[])[];

/** A scope relative to the caller's root. With neither field, the scope is the whole root. */
export interface RelativeScope {
  namespace?: RelativeNamespaces | undefined;
  within?: RelativeNamespaces | undefined;
}

export type RelativeRememberInput = Omit<RememberInput, "namespace"> & {
  namespace?: readonly string[];
};

export interface RelativeRecallOptions extends RelativeScope, MemoryFilter {
  query: string;
  limit?: number;
  minScore?: number;
  mode?: RecallMode;
  explain?: boolean;
}

export interface RelativeContextOptions
  extends Omit<RelativeRecallOptions, "limit" | "explain" | "query"> {
  /** Required unless a thread is given: then the latest user message is the query. */
  query?: string | undefined;
  maxTokens: number;
  format?: "markdown" | "text";
  candidates?: number;
  /** Adds the thread's summary and recent messages. */
  thread?: RelativeThreadAddress | undefined;
  /** Adds the working memory: the thread's namespace's (`true`) or the thread's own. */
  workingMemory?: boolean | "thread" | undefined;
  shares?: { workingMemory?: number; conversation?: number; memories?: number } | undefined;
}

/** A context block as the API returns it. */
export interface ContextBlockJson {
  text: string;
  tokens: number;
  memories: MemoryJson[];
  workingMemory?: WorkingMemoryJson;
  summary?: string;
  messages?: MessageJson[];
}

/** What an erase removed: memories, threads, their messages, working memories, attached data. */
export interface EraseReportJson {
  /** The memories erased (the same as `memories`; kept for clients of the first API). */
  deleted: number;
  memories: number;
  threads: number;
  messages: number;
  workingMemories: number;
  attached: Record<string, number>;
}

/** One recorded change of a memory, as the API returns it. */
export interface HistoryEntryJson {
  action: HistoryEntry["action"];
  at: string;
  before: MemoryJson | null;
  after: MemoryJson | null;
  /** The thread and messages the change came from, when ingest made it. */
  source?: { namespace: string[]; threadId: string; messageIds: string[] };
}

export interface RelativeListOptions extends RelativeScope, MemoryFilter {
  limit?: number;
  cursor?: string;
}

/** A namespace holding memories, relative to the caller's root, with counts by kind. */
export interface NamespaceCountJson {
  namespace: string[];
  total: number;
  kinds: Record<string, number>;
}

export interface RelativeRememberResult {
  status: RememberResult["status"];
  id: string;
  memory: MemoryJson;
}
