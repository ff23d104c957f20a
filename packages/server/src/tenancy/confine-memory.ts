import {
  EngramError,
  type HistoryEntry,
  type ListOptions,
  type Memory,
  type MemoryEvent,
  type MemoryFilter,
  type MemoryPatch,
  type Namespace,
  type PruneReport,
  type RecallMode,
  type RememberInput,
  type RememberResult,
  type Scope,
  type Subscription,
} from "@engram/core";
import { wholeStoreScope } from "../transfer/whole-store-scope.js";
import {
  type ConfinedConversations,
  confineConversations,
  type RelativeThreadAddress,
} from "./confine-conversations.js";
import type { MessageJson, WorkingMemoryJson } from "./conversation-json.js";
import { toMessageJson, toWorkingMemoryJson } from "./conversation-json.js";
import { type MemoryJson, toMemoryJson } from "./memory-json.js";
import type { KeyScope, Principal } from "./principal.js";
import { isVisible, relativeNamespace, resolveNamespace } from "./resolve-namespace.js";

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

/**
 * The memory as one caller may use it. Every namespace the caller names is resolved beneath its
 * root, every record it gets back is inside its root (and shown relative to it), and a memory
 * outside the root is indistinguishable from one that does not exist.
 */
export interface ConfinedMemory {
  readonly principal: Principal;
  /** Threads, messages, working memory and ingest, under the same root. */
  readonly conversations: ConfinedConversations;
  remember(inputs: readonly RelativeRememberInput[]): Promise<RelativeRememberResult[]>;
  recall(options: RelativeRecallOptions): Promise<MemoryJson[]>;
  get(id: string): Promise<MemoryJson>;
  history(id: string): Promise<HistoryEntryJson[]>;
  context(options: RelativeContextOptions): Promise<ContextBlockJson>;
  list(
    options: RelativeListOptions,
  ): Promise<{ memories: MemoryJson[]; nextCursor: string | null }>;
  countNamespaces(scope: RelativeScope): Promise<NamespaceCountJson[]>;
  /**
   * The scope a read given none covers: the caller's root, or for a caller without a root (no
   * API keys) every tenant holding memories; `undefined` when there is nothing to read.
   */
  defaultScope(): Promise<RelativeScope | undefined>;
  update(id: string, patch: MemoryPatch): Promise<MemoryJson>;
  forgetIds(ids: readonly string[]): Promise<number>;
  forgetWhere(filter: RelativeScope & MemoryFilter): Promise<number>;
  erase(prefix: readonly string[]): Promise<EraseReportJson>;
  prune(scope: RelativeScope, capacity: number | undefined): Promise<PruneReport>;
  subscribe(
    scope: RelativeScope,
    handler: (event: MemoryEvent) => void | Promise<void>,
    since: string | undefined,
  ): Promise<Subscription>;
}

/** Throws `FORBIDDEN` unless the caller holds `scope`. */
export function requireScope(principal: Principal, scope: KeyScope): void {
  if (!principal.scopes.includes(scope)) {
    throw new EngramError("FORBIDDEN", `This key lacks the "${scope}" scope.`, {
      details: { required: scope },
    });
  }
}

function isNamespaceList(value: RelativeNamespaces): value is readonly (readonly string[])[] {
  return value.length > 0 && value.every((item) => Array.isArray(item));
}

function resolveList(principal: Principal, value: RelativeNamespaces | undefined): Namespace[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [resolveNamespace(principal, value)];
  if (isNamespaceList(value)) {
    if (value.length > 32) {
      throw new EngramError("INVALID_ARGUMENT", "A scope lists at most 32 namespaces.", {
        details: { issues: [{ path: ["namespace"], message: "at most 32 namespaces" }] },
      });
    }
    return value.map((item) => resolveNamespace(principal, item));
  }
  return [resolveNamespace(principal, value)];
}

/** Resolves a relative scope to an absolute one inside the caller's root. */
export function resolveScope(principal: Principal, scope: RelativeScope): Scope {
  if (principal.root.length === 0) {
    // Without keys the caller's root is the store's, which holds no memories itself.
    for (const field of ["namespace", "within"] as const) {
      const value = scope[field];
      if (Array.isArray(value) && value.length === 0)
        throw new EngramError(
          "INVALID_NAMESPACE",
          `\`${field}: []\` is the whole store, which a scope cannot name without API keys: give a namespace with at least one segment, e.g. \`${field}: ["acme"]\`.`,
          { details: { issues: [{ path: [field], message: "at least one segment" }] } },
        );
    }
  }
  const namespace = resolveList(principal, scope.namespace);
  const within = resolveList(principal, scope.within);
  if (namespace.length === 0 && within.length === 0) {
    if (principal.root.length === 0) {
      // Without keys the caller has no root to default to.
      throw new EngramError(
        "INVALID_ARGUMENT",
        "Give `namespace` or `within`: without API keys there is no root to default to.",
        { details: { issues: [{ path: ["namespace"], message: "Required" }] } },
      );
    }
    return { within: resolveNamespace(principal, []) };
  }
  return {
    namespace: namespace.length > 0 ? namespace : undefined,
    within: within.length > 0 ? within : undefined,
  };
}

/** What recall and context share: the scope inside the caller's root, filters, query, mode. */
function searchOptions(
  principal: Principal,
  options: Omit<RelativeRecallOptions, "limit" | "query"> & { query?: string | undefined },
) {
  return {
    ...resolveScope(principal, options),
    ...pickFilter(options),
    query: options.query,
    minScore: options.minScore,
    mode: options.mode,
  };
}

function notFound(id: string): EngramError {
  return new EngramError("NOT_FOUND", `No memory with id ${id}.`, { details: { id } });
}

// The filter fields passed on to core; anything else a caller sends stays behind.
const FILTER_FIELDS = [
  "kinds",
  "tags",
  "metadata",
  "createdAfter",
  "createdBefore",
  "updatedAfter",
  "updatedBefore",
  "pinned",
] as const satisfies readonly (keyof MemoryFilter)[];

function pickFilter(options: MemoryFilter): MemoryFilter {
  return Object.fromEntries(FILTER_FIELDS.map((field) => [field, options[field]])) as MemoryFilter;
}

/** Wraps a memory so that one caller sees and changes only what lies beneath its root. */
export function confineMemory(memory: Memory, principal: Principal): ConfinedMemory {
  const visibleRecord = async (id: string) => {
    if (typeof id !== "string" || id.length === 0 || id.length > 64) throw notFound(String(id));
    const record = await memory.get(id);
    if (!record || !isVisible(principal, record.namespace)) throw notFound(id);
    return record;
  };
  const json = (record: Parameters<typeof toMemoryJson>[1]) => toMemoryJson(principal, record);

  return {
    principal,
    conversations: confineConversations(memory, principal),

    async remember(inputs) {
      requireScope(principal, "write");
      const absolute = inputs.map((input) => ({
        ...input,
        namespace: resolveNamespace(principal, input.namespace ?? []),
      }));
      const results = await memory.remember(absolute);
      return results.map((result) => ({
        status: result.status,
        id: result.id,
        memory: json(result.memory),
      }));
    },

    async recall(options) {
      requireScope(principal, "read");
      const recalled = await memory.recall({
        ...searchOptions(principal, options),
        query: options.query,
        limit: options.limit,
        explain: options.explain,
      });
      return recalled.filter((record) => isVisible(principal, record.namespace)).map(json);
    },

    async get(id) {
      requireScope(principal, "read");
      return json(await visibleRecord(id));
    },

    async history(id) {
      requireScope(principal, "read");
      if (typeof id !== "string" || id.length === 0 || id.length > 64) throw notFound(String(id));
      const entries = await memory.history(id);
      // History outlives deletion, so visibility is decided by the namespace it recorded.
      if (
        entries.length === 0 ||
        !entries.every((entry) => isVisible(principal, entry.namespace))
      ) {
        throw notFound(id);
      }
      return entries.map((entry) => ({
        action: entry.action,
        at: entry.at.toISOString(),
        before: entry.before ? json(entry.before) : null,
        after: entry.after ? json(entry.after) : null,
        ...(entry.source && isVisible(principal, entry.source.namespace)
          ? {
              source: {
                namespace: relativeNamespace(principal, entry.source.namespace),
                threadId: entry.source.threadId,
                messageIds: entry.source.messageIds,
              },
            }
          : {}),
      }));
    },

    async context(options) {
      requireScope(principal, "read");
      const block = await memory.context({
        ...searchOptions(principal, options),
        maxTokens: options.maxTokens,
        format: options.format,
        candidates: options.candidates,
        ...(options.thread === undefined
          ? {}
          : {
              thread: {
                namespace: resolveNamespace(principal, options.thread.namespace ?? []),
                threadId: options.thread.threadId,
              },
            }),
        workingMemory: options.workingMemory,
        shares: options.shares,
      });
      const result: ContextBlockJson = {
        text: block.text,
        tokens: block.tokens,
        memories: block.memories.map(json),
      };
      if (block.workingMemory) result.workingMemory = toWorkingMemoryJson(block.workingMemory);
      if (block.summary !== undefined) result.summary = block.summary;
      if (block.messages) {
        result.messages = block.messages.map((message) => toMessageJson(principal, message));
      }
      return result;
    },

    async list(options) {
      requireScope(principal, "read");
      const listOptions: ListOptions = {
        ...resolveScope(principal, options),
        ...pickFilter(options),
        limit: options.limit,
        cursor: options.cursor,
      };
      const page = await memory.list(listOptions);
      return {
        memories: page.memories
          .filter((record) => isVisible(principal, record.namespace))
          .map(json),
        nextCursor: page.nextCursor ?? null,
      };
    },

    async defaultScope() {
      return principal.root.length > 0 ? { within: [] } : wholeStoreScope(memory);
    },

    async countNamespaces(scope) {
      requireScope(principal, "read");
      const rows = await memory.countNamespaces(resolveScope(principal, scope));
      return rows
        .filter((row) => isVisible(principal, row.namespace))
        .map((row) => ({
          namespace: relativeNamespace(principal, row.namespace),
          total: row.total,
          kinds: row.kinds,
        }));
    },

    async update(id, patch) {
      requireScope(principal, "write");
      await visibleRecord(id);
      // A memory's namespace never changes, so the check above still holds for the update.
      return json(await memory.update(id, patch));
    },

    async forgetIds(ids) {
      requireScope(principal, "write");
      const visible: string[] = [];
      for (const id of new Set(ids)) {
        const record = await memory.get(id).catch(() => undefined);
        if (record && isVisible(principal, record.namespace)) visible.push(id);
      }
      return visible.length === 0 ? 0 : memory.forget(visible);
    },

    async forgetWhere(filter) {
      requireScope(principal, "write");
      return memory.forget({ ...resolveScope(principal, filter), ...pickFilter(filter) });
    },

    async erase(prefix) {
      requireScope(principal, "admin");
      const report = await memory.forgetNamespace(resolveNamespace(principal, prefix));
      return {
        deleted: report.memories,
        memories: report.memories,
        threads: report.threads,
        messages: report.messages,
        workingMemories: report.workingMemories,
        attached: report.attached,
      };
    },

    async prune(scope, capacity) {
      requireScope(principal, "admin");
      return memory.prune({
        ...resolveScope(principal, scope),
        ...(capacity === undefined ? {} : { capacity }),
      });
    },

    async subscribe(scope, handler, since) {
      requireScope(principal, "read");
      return memory.subscribe(resolveScope(principal, scope), handler, { since });
    },
  };
}
