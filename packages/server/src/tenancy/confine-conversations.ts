import {
  type Candidate,
  EngramError,
  type Extract,
  type IngestReport,
  type Instant,
  type JsonObject,
  type Memory,
  type MessageContent,
  type MessageInput,
  type MessageRole,
} from "@engram/core";
import {
  type MessageJson,
  type ThreadJson,
  toMessageJson,
  toThreadJson,
  toWorkingMemoryJson,
  type WorkingMemoryJson,
} from "./conversation-json.js";
import type { Principal } from "./principal.js";
import type { RelativeScope } from "./relative-types.js";
import { resolveNamespace } from "./resolve-namespace.js";
import { requireScope, resolveScope } from "./resolve-scope.js";

/** A thread, by its namespace relative to the caller's root (default: the root) and its id. */
export interface RelativeThreadAddress {
  namespace?: readonly string[] | undefined;
  threadId: string;
}

/** A working-memory document: a namespace's (relative; default the root), or a thread's. */
export interface RelativeWorkingMemoryAddress {
  namespace?: readonly string[] | undefined;
  threadId?: string | undefined;
}

export interface RelativeCreateThreadInput {
  namespace?: readonly string[] | undefined;
  id?: string | undefined;
  title?: string | undefined;
  metadata?: JsonObject | undefined;
  createdAt?: Instant | undefined;
}

export interface RelativeListThreadsOptions extends RelativeScope {
  metadata?: Record<string, string | number | boolean | null> | undefined;
  order?: "newest" | "oldest" | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface RelativeCloneThreadInput extends RelativeThreadAddress {
  to?:
    | {
        namespace?: readonly string[] | undefined;
        id?: string | undefined;
        title?: string | undefined;
        metadata?: JsonObject | undefined;
      }
    | undefined;
  messageIds?: string[] | undefined;
  last?: number | undefined;
  keepMessageIds?: boolean | undefined;
}

export interface RelativeWindowOptions extends RelativeThreadAddress {
  last?: number | undefined;
  before?: string | undefined;
  after?: string | undefined;
  from?: Instant | undefined;
  to?: Instant | undefined;
  limit?: number | undefined;
  roles?: MessageRole[] | undefined;
}

/**
 * What a server-side ingest may do. The server holds no model, so the candidates come either
 * from core's default extractor (each new user message becomes an `episode`) or from the
 * caller, who ran its own model over the messages and proposes the facts.
 */
export interface RelativeIngestOptions extends RelativeThreadAddress {
  /** Where memories go, relative to the root; default the thread's namespace. */
  into?: readonly string[] | undefined;
  similar?: number | undefined;
  /** Facts the caller extracted from the thread's new messages; default: core's extractor. */
  candidates?: Candidate[] | undefined;
}

export interface IngestReportJson {
  messages: number;
  decisions: {
    action: IngestReport["decisions"][number]["action"];
    memoryId: string | null;
    candidate: Candidate;
    refused?: string;
  }[];
  summarized: boolean;
  busy: boolean;
}

/** Conversations as one caller may use them: every namespace is resolved beneath its root. */
export interface ConfinedConversations {
  createThread(input: RelativeCreateThreadInput): Promise<ThreadJson>;
  getThread(address: RelativeThreadAddress): Promise<ThreadJson>;
  updateThread(
    input: RelativeThreadAddress & {
      title?: string | null | undefined;
      metadata?: JsonObject | undefined;
    },
  ): Promise<ThreadJson>;
  deleteThread(address: RelativeThreadAddress): Promise<void>;
  listThreads(
    options: RelativeListThreadsOptions,
  ): Promise<{ threads: ThreadJson[]; nextCursor: string | null }>;
  cloneThread(input: RelativeCloneThreadInput): Promise<ThreadJson>;
  appendMessages(
    input: RelativeThreadAddress & { messages: MessageInput[]; createThread?: boolean | undefined },
  ): Promise<MessageJson[]>;
  listMessages(options: RelativeWindowOptions): Promise<{
    messages: MessageJson[];
    previousCursor: string | null;
    nextCursor: string | null;
  }>;
  getMessages(input: RelativeThreadAddress & { ids: string[] }): Promise<(MessageJson | null)[]>;
  updateMessage(
    input: RelativeThreadAddress & {
      id: string;
      content?: MessageContent | undefined;
      role?: MessageRole | undefined;
      metadata?: JsonObject | undefined;
    },
  ): Promise<MessageJson>;
  deleteMessages(input: RelativeThreadAddress & { ids: string[] }): Promise<number>;
  getWorkingMemory(address: RelativeWorkingMemoryAddress): Promise<WorkingMemoryJson>;
  replaceWorkingMemory(
    input: RelativeWorkingMemoryAddress & {
      content: JsonObject | string;
      version?: number | undefined;
    },
  ): Promise<WorkingMemoryJson>;
  patchWorkingMemory(
    input: RelativeWorkingMemoryAddress & { patch: JsonObject; version?: number | undefined },
  ): Promise<WorkingMemoryJson>;
  deleteWorkingMemory(address: RelativeWorkingMemoryAddress): Promise<void>;
  ingest(options: RelativeIngestOptions): Promise<IngestReportJson>;
}

function threadNotFound(threadId: string): EngramError {
  return new EngramError("NOT_FOUND", `No thread ${threadId} in this namespace.`, {
    details: { threadId },
  });
}

/** Wraps a memory's conversations so that one caller reaches only threads beneath its root. */
export function confineConversations(memory: Memory, principal: Principal): ConfinedConversations {
  const address = (input: RelativeThreadAddress) => ({
    namespace: resolveNamespace(principal, input.namespace ?? []),
    threadId: input.threadId,
  });
  const wmAddress = (input: RelativeWorkingMemoryAddress) => ({
    namespace: resolveNamespace(principal, input.namespace ?? []),
    ...(input.threadId === undefined ? {} : { threadId: input.threadId }),
  });
  const thread = (value: Parameters<typeof toThreadJson>[1]) => toThreadJson(principal, value);
  const message = (value: Parameters<typeof toMessageJson>[1]) => toMessageJson(principal, value);

  return {
    async createThread(input) {
      requireScope(principal, "write");
      return thread(
        await memory.threads.create({
          namespace: resolveNamespace(principal, input.namespace ?? []),
          id: input.id,
          title: input.title,
          metadata: input.metadata,
          createdAt: input.createdAt,
        }),
      );
    },

    async getThread(input) {
      requireScope(principal, "read");
      const found = await memory.threads.get(address(input));
      if (!found) throw threadNotFound(input.threadId);
      return thread(found);
    },

    async updateThread(input) {
      requireScope(principal, "write");
      return thread(
        await memory.threads.update({
          ...address(input),
          title: input.title,
          metadata: input.metadata,
        }),
      );
    },

    async deleteThread(input) {
      requireScope(principal, "write");
      if (!(await memory.threads.delete(address(input)))) throw threadNotFound(input.threadId);
    },

    async listThreads(options) {
      requireScope(principal, "read");
      const page = await memory.threads.list({
        ...resolveScope(principal, options),
        metadata: options.metadata,
        order: options.order,
        limit: options.limit,
        cursor: options.cursor,
      });
      return { threads: page.threads.map(thread), nextCursor: page.nextCursor ?? null };
    },

    async cloneThread(input) {
      requireScope(principal, "write");
      const to = input.to && {
        namespace:
          input.to.namespace === undefined
            ? undefined
            : resolveNamespace(principal, input.to.namespace),
        id: input.to.id,
        title: input.to.title,
        metadata: input.to.metadata,
      };
      return thread(
        await memory.threads.clone({
          ...address(input),
          to,
          messageIds: input.messageIds,
          last: input.last,
          keepMessageIds: input.keepMessageIds,
        }),
      );
    },

    async appendMessages(input) {
      requireScope(principal, "write");
      const appended = await memory.messages.append({
        ...address(input),
        messages: input.messages,
        createThread: input.createThread,
      });
      return appended.map(message);
    },

    async listMessages(options) {
      requireScope(principal, "read");
      const window = await memory.messages.list({
        ...address(options),
        last: options.last,
        before: options.before,
        after: options.after,
        from: options.from,
        to: options.to,
        limit: options.limit,
        roles: options.roles,
      });
      return {
        messages: window.messages.map(message),
        previousCursor: window.previousCursor ?? null,
        nextCursor: window.nextCursor ?? null,
      };
    },

    async getMessages(input) {
      requireScope(principal, "read");
      const found = await memory.messages.get({ ...address(input), ids: input.ids });
      return found.map((value) => (value ? message(value) : null));
    },

    async updateMessage(input) {
      requireScope(principal, "write");
      return message(
        await memory.messages.update({
          ...address(input),
          id: input.id,
          content: input.content,
          role: input.role,
          metadata: input.metadata,
        }),
      );
    },

    async deleteMessages(input) {
      requireScope(principal, "write");
      return memory.messages.delete({ ...address(input), ids: input.ids });
    },

    async getWorkingMemory(input) {
      requireScope(principal, "read");
      const document = await memory.workingMemory.get(wmAddress(input));
      if (!document) {
        throw new EngramError("NOT_FOUND", "No working memory here yet.", {
          details: input.threadId === undefined ? {} : { threadId: input.threadId },
        });
      }
      return toWorkingMemoryJson(document);
    },

    async replaceWorkingMemory(input) {
      requireScope(principal, "write");
      return toWorkingMemoryJson(
        await memory.workingMemory.replace({
          ...wmAddress(input),
          content: input.content,
          version: input.version,
        }),
      );
    },

    async patchWorkingMemory(input) {
      requireScope(principal, "write");
      return toWorkingMemoryJson(
        await memory.workingMemory.patch({
          ...wmAddress(input),
          patch: input.patch,
          version: input.version,
        }),
      );
    },

    async deleteWorkingMemory(input) {
      requireScope(principal, "write");
      if (!(await memory.workingMemory.delete(wmAddress(input)))) {
        throw new EngramError("NOT_FOUND", "No working memory here.", {
          details: input.threadId === undefined ? {} : { threadId: input.threadId },
        });
      }
    },

    async ingest(options) {
      requireScope(principal, "write");
      const report = await memory.ingest({
        ...address(options),
        into: options.into === undefined ? undefined : resolveNamespace(principal, options.into),
        similar: options.similar,
        ...(options.candidates === undefined ? {} : proposed(options.candidates)),
      });
      return {
        messages: report.messages,
        decisions: report.decisions.map((decision) => ({
          action: decision.action,
          memoryId: decision.memoryId ?? null,
          candidate: decision.candidate,
          ...(decision.refused === undefined ? {} : { refused: decision.refused }),
        })),
        summarized: report.summarized,
        busy: report.busy === true,
      };
    },
  };
}

/** The largest batch core reads at once: the caller's candidates describe all of it. */
const CANDIDATE_BATCH = 1000;

/**
 * An extractor that proposes the caller's candidates for the new messages, once: ingest reads
 * them in one batch, so a candidate may name any of them, and a second call (nothing new)
 * proposes nothing.
 */
function proposed(candidates: Candidate[]): { extract: Extract; batchSize: number } {
  let given = false;
  return {
    batchSize: CANDIDATE_BATCH,
    extract: async () => {
      if (given) return [];
      given = true;
      return candidates;
    },
  };
}
