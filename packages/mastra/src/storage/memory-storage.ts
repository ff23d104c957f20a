import { randomUUID } from "node:crypto";
import {
  EngramError,
  type JsonObject,
  type Memory,
  type Message,
  type Namespace,
  type Thread,
} from "@engram/core";
import type { MastraDBMessage, StorageThreadType } from "@mastra/core/memory";
import {
  calculatePagination,
  filterByDateRange,
  jsonValueEquals,
  MemoryStorage,
  normalizePerPage,
  type StorageCloneThreadInput,
  type StorageCopyThreadOutput,
  type StorageListMessagesInput,
  type StorageListMessagesOutput,
  type StorageListThreadsInput,
  type StorageListThreadsOutput,
  type StorageResourceType,
  storageMessageMatchesMetadataFilter,
  validateStorageMetadataFilter,
} from "@mastra/core/storage";
import type { ResourceNamespace } from "../resource-namespace.js";
import { fromMastraMessage, toJson, toMastraMessage } from "./messages.js";

/** Where a thread's resource id is kept in its Engram metadata. */
const RESOURCE_KEY = "mastra:resourceId";
const PAGE = 1000;

export interface EngramMemoryStorageOptions {
  memory: Memory;
  /** Every Mastra thread, message and resource lives under this namespace. */
  root: Namespace;
  resourceNamespace: ResourceNamespace;
}

interface Located {
  thread: Thread;
  resourceId: string;
}

interface ResourceDocument {
  workingMemory?: string;
  metadata?: Record<string, unknown>;
  createdAt: string;
}

function notFound(what: string): EngramError {
  return new EngramError("NOT_FOUND", `${what} was not found.`);
}

function byCreatedAt(direction: "ASC" | "DESC") {
  return (a: { createdAt: Date }, b: { createdAt: Date }) =>
    direction === "ASC"
      ? a.createdAt.getTime() - b.createdAt.getTime()
      : b.createdAt.getTime() - a.createdAt.getTime();
}

/**
 * Mastra's `memory` domain on Engram conversations: a resource is a namespace, its threads and
 * messages are Engram threads and messages, and its working memory is the namespace's working
 * memory, so `forgetNamespace` erases a user's Mastra memory with everything else.
 */
export class EngramMemoryStorage extends MemoryStorage {
  readonly #memory: Memory;
  readonly #root: Namespace;
  readonly #resourceNamespace: ResourceNamespace;

  constructor(options: EngramMemoryStorageOptions) {
    super();
    this.#memory = options.memory;
    this.#root = options.root;
    this.#resourceNamespace = options.resourceNamespace;
  }

  async dangerouslyClearAll(): Promise<void> {
    await this.#memory.forgetNamespace(this.#root);
  }

  async #locate(threadId: string): Promise<Located | undefined> {
    const thread = await this.#memory.threads.get({ within: this.#root, threadId });
    if (!thread) return undefined;
    return { thread, resourceId: String(thread.metadata[RESOURCE_KEY] ?? "") };
  }

  #toMastraThread({ thread, resourceId }: Located): StorageThreadType {
    const { [RESOURCE_KEY]: _, ...metadata } = thread.metadata;
    return {
      id: thread.id,
      resourceId,
      ...(thread.title === undefined ? {} : { title: thread.title }),
      metadata,
      createdAt: thread.createdAt,
      updatedAt: thread.updatedAt,
    };
  }

  async getThreadById({
    threadId,
    resourceId,
  }: {
    threadId: string;
    resourceId?: string;
  }): Promise<StorageThreadType | null> {
    const located = await this.#locate(threadId);
    if (!located || (resourceId !== undefined && located.resourceId !== resourceId)) return null;
    return this.#toMastraThread(located);
  }

  async saveThread({ thread }: { thread: StorageThreadType }): Promise<StorageThreadType> {
    const metadata = { ...toJson(thread.metadata ?? {}), [RESOURCE_KEY]: thread.resourceId };
    const namespace = this.#resourceNamespace(thread.resourceId);
    const existing = await this.#locate(thread.id);
    if (existing && existing.resourceId !== thread.resourceId) {
      await this.#memory.threads.delete({
        namespace: existing.thread.namespace,
        threadId: thread.id,
      });
    } else if (existing) {
      await this.#memory.threads.update({
        namespace,
        threadId: thread.id,
        title: thread.title ?? null,
        metadata: metadata as JsonObject,
      });
      return thread;
    }
    await this.#memory.threads.create({
      namespace,
      id: thread.id,
      ...(thread.title === undefined ? {} : { title: thread.title }),
      metadata: metadata as JsonObject,
      createdAt: thread.createdAt ?? new Date(),
    });
    return thread;
  }

  async updateThread({
    id,
    title,
    metadata,
  }: {
    id: string;
    title?: string;
    metadata?: Record<string, unknown>;
  }): Promise<StorageThreadType> {
    const located = await this.#locate(id);
    if (!located) throw notFound(`Thread ${id}`);
    const thread = await this.#memory.threads.update({
      namespace: located.thread.namespace,
      threadId: id,
      ...(title === undefined ? {} : { title }),
      metadata: { ...located.thread.metadata, ...toJson(metadata ?? {}) } as JsonObject,
    });
    return this.#toMastraThread({ thread, resourceId: located.resourceId });
  }

  async deleteThread({ threadId }: { threadId: string }): Promise<void> {
    const located = await this.#locate(threadId);
    if (located)
      await this.#memory.threads.delete({ namespace: located.thread.namespace, threadId });
  }

  async listThreads(args: StorageListThreadsInput): Promise<StorageListThreadsOutput> {
    const { page = 0, perPage: perPageInput, orderBy, filter } = args;
    const { field, direction } = this.parseOrderBy(orderBy);
    this.validatePaginationInput(page, perPageInput ?? 100);
    this.validateMetadataKeys(filter?.metadata);
    const perPage = normalizePerPage(perPageInput, 100);
    const scope = filter?.resourceId
      ? { namespace: this.#resourceNamespace(filter.resourceId) }
      : { within: this.#root };
    const threads: StorageThreadType[] = [];
    let cursor: string | undefined;
    do {
      const result = await this.#memory.threads.list({ ...scope, limit: PAGE, cursor });
      for (const thread of result.threads) {
        const resourceId = thread.metadata[RESOURCE_KEY];
        if (typeof resourceId !== "string") continue;
        if (filter?.resourceId !== undefined && resourceId !== filter.resourceId) continue;
        const mastra = this.#toMastraThread({ thread, resourceId });
        const wanted = Object.entries(filter?.metadata ?? {});
        if (wanted.every(([key, value]) => jsonValueEquals(mastra.metadata?.[key], value)))
          threads.push(mastra);
      }
      cursor = result.nextCursor;
    } while (cursor);
    threads.sort((a, b) => {
      const difference = a[field].getTime() - b[field].getTime();
      return direction === "ASC" ? difference : -difference;
    });
    const { offset, perPage: perPageForResponse } = calculatePagination(
      page,
      perPageInput,
      perPage,
    );
    return {
      threads: threads.slice(offset, offset + perPage),
      total: threads.length,
      page,
      perPage: perPageForResponse,
      hasMore: offset + perPage < threads.length,
    };
  }

  /** Every message of a thread, oldest first. */
  async #allMessages(thread: Thread): Promise<Message[]> {
    const pages: Message[][] = [];
    let before: string | undefined;
    do {
      const window = await this.#memory.messages.list({
        namespace: thread.namespace,
        threadId: thread.id,
        limit: PAGE,
        ...(before === undefined ? {} : { before }),
      });
      pages.unshift(window.messages);
      before = window.previousCursor;
    } while (before);
    return pages.flat();
  }

  async listMessages(args: StorageListMessagesInput): Promise<StorageListMessagesOutput> {
    const { threadId, resourceId, include, filter, perPage: perPageInput, page = 0 } = args;
    const metadataFilter = validateStorageMetadataFilter(filter?.metadata);
    const threadIds = Array.isArray(threadId) ? threadId : [threadId];
    if (threadIds.length === 0 || threadIds.some((id) => !id?.trim()))
      throw new EngramError(
        "INVALID_ARGUMENT",
        "threadId must be a non-empty string or array of non-empty strings",
      );
    const { field, direction } = this.parseOrderBy(args.orderBy, "ASC");
    const perPage = normalizePerPage(perPageInput, 40);
    if (page < 0) throw new EngramError("INVALID_ARGUMENT", "page must be >= 0");
    const { offset, perPage: perPageForResponse } = calculatePagination(
      page,
      perPageInput,
      perPage,
    );
    const order = byCreatedAt(field === "createdAt" ? direction : "ASC");

    let selected: MastraDBMessage[] = [];
    if (perPage > 0) {
      for (const id of new Set(threadIds)) {
        const located = await this.#locate(id);
        if (!located) continue;
        const messages = (await this.#allMessages(located.thread)).map(toMastraMessage);
        selected.push(
          ...messages.filter(
            (message) => resourceId === undefined || message.resourceId === resourceId,
          ),
        );
      }
      selected = filterByDateRange(selected, (message) => message.createdAt, filter?.dateRange);
      selected = selected.filter((message) =>
        storageMessageMatchesMetadataFilter(message.content, metadataFilter),
      );
    }
    // Stable: messages with the same createdAt keep their append order.
    selected.sort(order);
    const total = selected.length;
    const pageMessages = selected.slice(offset, offset + perPage);
    const seen = new Set(pageMessages.map((message) => message.id));
    const messages = [...pageMessages];
    for (const message of await this.#included(include, resourceId)) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      messages.push(message);
    }
    messages.sort(order);
    return {
      messages,
      total,
      page,
      perPage: perPageForResponse,
      hasMore: perPage > 0 && offset + pageMessages.length < total,
    };
  }

  /** Each included message with its requested neighbours, within the resource when one is given. */
  async #included(
    include: StorageListMessagesInput["include"],
    resourceId: string | undefined,
  ): Promise<MastraDBMessage[]> {
    const out: MastraDBMessage[] = [];
    for (const item of include ?? []) {
      const [target] = await this.#memory.messages.get({ within: this.#root, ids: [item.id] });
      if (!target) continue;
      const address = { namespace: target.namespace, threadId: target.threadId };
      const window = [target];
      if (item.withPreviousMessages)
        window.unshift(
          ...(
            await this.#memory.messages.list({
              ...address,
              before: target.id,
              limit: item.withPreviousMessages,
            })
          ).messages,
        );
      if (item.withNextMessages)
        window.push(
          ...(
            await this.#memory.messages.list({
              ...address,
              after: target.id,
              limit: item.withNextMessages,
            })
          ).messages,
        );
      for (const message of window.map(toMastraMessage)) {
        if (resourceId === undefined || message.resourceId === resourceId) out.push(message);
      }
    }
    return out;
  }

  override async listMessagesById({ messageIds }: { messageIds: string[] }): Promise<{
    messages: MastraDBMessage[];
  }> {
    if (messageIds.length === 0) return { messages: [] };
    const found = await this.#memory.messages.get({ within: this.#root, ids: messageIds });
    return {
      messages: found
        .filter((message) => message !== undefined)
        .map(toMastraMessage)
        .sort(byCreatedAt("ASC")),
    };
  }

  async saveMessages({
    messages,
  }: {
    messages: MastraDBMessage[];
  }): Promise<{ messages: MastraDBMessage[] }> {
    const byThread = new Map<string, MastraDBMessage[]>();
    for (const message of messages) {
      if (!message.threadId)
        throw new EngramError("INVALID_ARGUMENT", `Message ${message.id} has no threadId.`);
      byThread.set(message.threadId, [...(byThread.get(message.threadId) ?? []), message]);
    }
    for (const [threadId, group] of byThread) {
      const located = await this.#locate(threadId);
      if (!located) throw notFound(`Thread ${threadId}`);
      const address = { namespace: located.thread.namespace, threadId };
      const existing = await this.#memory.messages.get({
        within: this.#root,
        ids: group.map((message) => message.id),
      });
      const fresh = [];
      for (const [index, message] of group.entries()) {
        const input = fromMastraMessage({
          ...message,
          resourceId: message.resourceId ?? located.resourceId,
        });
        const before = existing[index];
        if (
          before &&
          before.threadId === threadId &&
          before.namespace.join("/") === address.namespace.join("/")
        ) {
          await this.#memory.messages.update({
            ...address,
            id: message.id,
            role: input.role,
            content: input.content,
            metadata: input.metadata ?? {},
          });
          continue;
        }
        // Saved again under another thread: Mastra moves it.
        if (before)
          await this.#memory.messages.delete({
            namespace: before.namespace,
            threadId: before.threadId,
            ids: [before.id],
          });
        fresh.push(input);
      }
      if (fresh.length > 0)
        await this.#memory.messages.append({ ...address, messages: fresh, createThread: false });
    }
    return { messages };
  }

  async updateMessages(args: {
    messages: (Partial<Omit<MastraDBMessage, "createdAt">> & {
      id: string;
      content?: { metadata?: Record<string, unknown>; content?: unknown };
    })[];
  }): Promise<MastraDBMessage[]> {
    const updated: MastraDBMessage[] = [];
    for (const update of args.messages) {
      const [stored] = await this.#memory.messages.get({ within: this.#root, ids: [update.id] });
      if (!stored) continue;
      const current = toMastraMessage(stored);
      const content =
        update.content === undefined
          ? current.content
          : ({
              ...current.content,
              ...update.content,
              ...(current.content.metadata && update.content.metadata
                ? { metadata: { ...current.content.metadata, ...update.content.metadata } }
                : {}),
            } as MastraDBMessage["content"]);
      const next: MastraDBMessage = {
        ...current,
        ...(update.role === undefined ? {} : { role: update.role }),
        ...(update.type === undefined ? {} : { type: update.type }),
        ...(update.resourceId === undefined ? {} : { resourceId: update.resourceId }),
        ...(update.threadId === undefined ? {} : { threadId: update.threadId }),
        content,
      };
      await this.saveMessages({ messages: [next] });
      updated.push(next);
    }
    return updated;
  }

  override async deleteMessages(messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    const found = await this.#memory.messages.get({ within: this.#root, ids: messageIds });
    const byThread = new Map<string, Message[]>();
    for (const message of found) {
      if (!message) continue;
      const key = JSON.stringify([message.namespace, message.threadId]);
      byThread.set(key, [...(byThread.get(key) ?? []), message]);
    }
    for (const group of byThread.values()) {
      await this.#memory.messages.delete({
        namespace: group[0]!.namespace,
        threadId: group[0]!.threadId,
        ids: group.map((message) => message.id),
      });
    }
  }

  override async copyThread(args: StorageCloneThreadInput): Promise<StorageCopyThreadOutput> {
    const { sourceThreadId, resourceId, title, metadata, options } = args;
    const source = await this.#locate(sourceThreadId);
    if (!source) throw notFound(`Source thread ${sourceThreadId}`);
    const newThreadId = args.newThreadId ?? randomUUID();
    if (await this.#locate(newThreadId))
      throw new EngramError("CONFLICT", `Thread with id ${newThreadId} already exists.`);
    let messages = (await this.#allMessages(source.thread)).map(toMastraMessage);
    const { startDate, endDate, messageIds } = options?.messageFilter ?? {};
    if (messageIds && messageIds.length > 0) {
      const wanted = new Set(messageIds);
      messages = messages.filter((message) => wanted.has(message.id));
    }
    if (startDate) messages = messages.filter((message) => message.createdAt >= startDate);
    if (endDate) messages = messages.filter((message) => message.createdAt <= endDate);
    if (options?.messageLimit && options.messageLimit > 0)
      messages = messages.slice(-options.messageLimit);
    const now = new Date();
    const lastMessageId = messages.at(-1)?.id;
    const thread: StorageThreadType = {
      id: newThreadId,
      resourceId: resourceId ?? source.resourceId,
      ...(title || source.thread.title
        ? { title: title ?? `Clone of ${source.thread.title}` }
        : {}),
      metadata: {
        ...metadata,
        clone: { sourceThreadId, clonedAt: now, ...(lastMessageId ? { lastMessageId } : {}) },
      },
      createdAt: now,
      updatedAt: now,
    };
    await this.saveThread({ thread });
    const messageIdMap: Record<string, string> = {};
    const copies = messages.map((message) => {
      const id = randomUUID();
      messageIdMap[message.id] = id;
      return { ...message, id, threadId: newThreadId, resourceId: thread.resourceId };
    });
    if (copies.length > 0) await this.saveMessages({ messages: copies });
    const saved = await this.getThreadById({ threadId: newThreadId });
    return { thread: saved ?? thread, messageIdMap };
  }

  override async getResourceById({
    resourceId,
  }: {
    resourceId: string;
  }): Promise<StorageResourceType | null> {
    const document = await this.#memory.workingMemory.get({
      namespace: this.#resourceNamespace(resourceId),
    });
    if (!document || typeof document.content !== "object") return null;
    const content = document.content as unknown as ResourceDocument;
    return {
      id: resourceId,
      ...(typeof content.workingMemory === "string"
        ? { workingMemory: content.workingMemory }
        : {}),
      metadata: content.metadata ?? {},
      createdAt: new Date(content.createdAt),
      updatedAt: document.updatedAt,
    };
  }

  override async saveResource({
    resource,
  }: {
    resource: StorageResourceType;
  }): Promise<StorageResourceType> {
    const content: ResourceDocument = {
      ...(resource.workingMemory === undefined ? {} : { workingMemory: resource.workingMemory }),
      metadata: resource.metadata ?? {},
      createdAt: (resource.createdAt ?? new Date()).toISOString(),
    };
    await this.#memory.workingMemory.replace({
      namespace: this.#resourceNamespace(resource.id),
      content: toJson(content) as unknown as JsonObject,
    });
    return resource;
  }

  override async updateResource({
    resourceId,
    workingMemory,
    metadata,
  }: {
    resourceId: string;
    workingMemory?: string;
    metadata?: Record<string, unknown>;
  }): Promise<StorageResourceType> {
    const existing = await this.getResourceById({ resourceId });
    const resource: StorageResourceType = {
      id: resourceId,
      ...((workingMemory ?? existing?.workingMemory) === undefined
        ? {}
        : { workingMemory: workingMemory ?? existing?.workingMemory }),
      metadata: { ...existing?.metadata, ...metadata },
      createdAt: existing?.createdAt ?? new Date(),
      updatedAt: new Date(),
    };
    await this.saveResource({ resource });
    return (await this.getResourceById({ resourceId })) ?? resource;
  }
}
