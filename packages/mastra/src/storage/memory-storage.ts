import { randomUUID } from "node:crypto";
import { EngramError, type JsonObject, type Message } from "@engram/core";
import type { MastraDBMessage, StorageThreadType } from "@mastra/core/memory";
import {
  calculatePagination,
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
} from "@mastra/core/storage";
import { listMessages } from "./list-messages.js";
import { toJson, toMastraMessage } from "./messages.js";
import { getResource, saveResource, updateResource } from "./resources.js";
import { saveMessages } from "./save-messages.js";
import {
  allMessages,
  byCreatedAt,
  type Located,
  locate,
  notFound,
  PAGE,
  RESOURCE_KEY,
  type StorageContext,
  toMastraThread,
} from "./storage-context.js";

export type EngramMemoryStorageOptions = StorageContext;

/**
 * Mastra's `memory` domain on Engram conversations: a resource is a namespace, its threads and
 * messages are Engram threads and messages, and its working memory is the namespace's working
 * memory, so `forgetNamespace` erases a user's Mastra memory with everything else.
 */
export class EngramMemoryStorage extends MemoryStorage {
  readonly #context: StorageContext;

  constructor(options: EngramMemoryStorageOptions) {
    super();
    this.#context = {
      memory: options.memory,
      root: options.root,
      resourceNamespace: options.resourceNamespace,
    };
  }

  async dangerouslyClearAll(): Promise<void> {
    await this.#context.memory.forgetNamespace(this.#context.root);
  }

  #locate(threadId: string): Promise<Located | undefined> {
    return locate(this.#context, threadId);
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
    return toMastraThread(located);
  }

  async saveThread({ thread }: { thread: StorageThreadType }): Promise<StorageThreadType> {
    const metadata = { ...toJson(thread.metadata ?? {}), [RESOURCE_KEY]: thread.resourceId };
    const namespace = this.#context.resourceNamespace(thread.resourceId);
    const existing = await this.#locate(thread.id);
    if (existing && existing.resourceId !== thread.resourceId) {
      await this.#context.memory.threads.delete({
        namespace: existing.thread.namespace,
        threadId: thread.id,
      });
    } else if (existing) {
      await this.#context.memory.threads.update({
        namespace,
        threadId: thread.id,
        title: thread.title ?? null,
        metadata: metadata as JsonObject,
      });
      return thread;
    }
    await this.#context.memory.threads.create({
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
    const thread = await this.#context.memory.threads.update({
      namespace: located.thread.namespace,
      threadId: id,
      ...(title === undefined ? {} : { title }),
      metadata: { ...located.thread.metadata, ...toJson(metadata ?? {}) } as JsonObject,
    });
    return toMastraThread({ thread, resourceId: located.resourceId });
  }

  async deleteThread({ threadId }: { threadId: string }): Promise<void> {
    const located = await this.#locate(threadId);
    if (located)
      await this.#context.memory.threads.delete({ namespace: located.thread.namespace, threadId });
  }

  async listThreads(args: StorageListThreadsInput): Promise<StorageListThreadsOutput> {
    const { page = 0, perPage: perPageInput, orderBy, filter } = args;
    const { field, direction } = this.parseOrderBy(orderBy);
    this.validatePaginationInput(page, perPageInput ?? 100);
    this.validateMetadataKeys(filter?.metadata);
    const perPage = normalizePerPage(perPageInput, 100);
    const scope = filter?.resourceId
      ? { namespace: this.#context.resourceNamespace(filter.resourceId) }
      : { within: this.#context.root };
    const threads: StorageThreadType[] = [];
    let cursor: string | undefined;
    do {
      const result = await this.#context.memory.threads.list({ ...scope, limit: PAGE, cursor });
      for (const thread of result.threads) {
        const resourceId = thread.metadata[RESOURCE_KEY];
        if (typeof resourceId !== "string") continue;
        if (filter?.resourceId !== undefined && resourceId !== filter.resourceId) continue;
        const mastra = toMastraThread({ thread, resourceId });
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

  async listMessages(args: StorageListMessagesInput): Promise<StorageListMessagesOutput> {
    const { field, direction } = this.parseOrderBy(args.orderBy, "ASC");
    return listMessages(this.#context, args, { field, direction });
  }

  override async listMessagesById({ messageIds }: { messageIds: string[] }): Promise<{
    messages: MastraDBMessage[];
  }> {
    if (messageIds.length === 0) return { messages: [] };
    const found = await this.#context.memory.messages.get({
      within: this.#context.root,
      ids: messageIds,
    });
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
    await saveMessages(this.#context, messages);
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
      const [stored] = await this.#context.memory.messages.get({
        within: this.#context.root,
        ids: [update.id],
      });
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
    const found = await this.#context.memory.messages.get({
      within: this.#context.root,
      ids: messageIds,
    });
    const byThread = new Map<string, Message[]>();
    for (const message of found) {
      if (!message) continue;
      const key = JSON.stringify([message.namespace, message.threadId]);
      byThread.set(key, [...(byThread.get(key) ?? []), message]);
    }
    for (const group of byThread.values()) {
      await this.#context.memory.messages.delete({
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
    let messages = (await allMessages(this.#context, source.thread)).map(toMastraMessage);
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
    return getResource(this.#context, resourceId);
  }

  override async saveResource({
    resource,
  }: {
    resource: StorageResourceType;
  }): Promise<StorageResourceType> {
    await saveResource(this.#context, resource);
    return resource;
  }

  override async updateResource(args: {
    resourceId: string;
    workingMemory?: string;
    metadata?: Record<string, unknown>;
  }): Promise<StorageResourceType> {
    return updateResource(this.#context, args);
  }
}
