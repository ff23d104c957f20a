import {
  EngramError,
  type ListOptions,
  type Memory,
  type MemoryEvent,
  type MemoryFilter,
  type MemoryPatch,
  type MemoryVector,
  type PruneReport,
  type Subscription,
} from "@engram/core";
import { wholeStoreScope } from "../transfer/whole-store-scope.js";
import { type ConfinedConversations, confineConversations } from "./confine-conversations.js";
import { toMessageJson, toWorkingMemoryJson } from "./conversation-json.js";
import { type MemoryJson, toMemoryJson } from "./memory-json.js";
import type { Principal } from "./principal.js";
import type {
  ContextBlockJson,
  EraseReportJson,
  HistoryEntryJson,
  NamespaceCountJson,
  RelativeContextOptions,
  RelativeListOptions,
  RelativeRecallOptions,
  RelativeRememberInput,
  RelativeRememberResult,
  RelativeScope,
} from "./relative-types.js";
import { isVisible, relativeNamespace, resolveNamespace } from "./resolve-namespace.js";
import { pickFilter, requireScope, resolveScope } from "./resolve-scope.js";

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
  /** The stored vectors of memories by id, in order; `undefined` for one the caller cannot see. */
  vectors(ids: readonly string[]): Promise<(MemoryVector | undefined)[]>;
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

    async vectors(ids) {
      requireScope(principal, "read");
      const records = await Promise.all(ids.map((id) => memory.get(id).catch(() => undefined)));
      const visible = ids.filter((_, at) => {
        const record = records[at];
        return record !== undefined && isVisible(principal, record.namespace);
      });
      const found = visible.length === 0 ? [] : await memory.vectors(visible);
      const byId = new Map(visible.map((id, at) => [id, found[at]]));
      return ids.map((id) => byId.get(id));
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
