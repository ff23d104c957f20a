import { EngramError } from "@engram/core";
import type { MastraDBMessage } from "@mastra/core/memory";
import {
  calculatePagination,
  filterByDateRange,
  normalizePerPage,
  type StorageListMessagesInput,
  type StorageListMessagesOutput,
  storageMessageMatchesMetadataFilter,
  validateStorageMetadataFilter,
} from "@mastra/core/storage";
import { toMastraMessage } from "./messages.js";
import { allMessages, byCreatedAt, locate, type StorageContext } from "./storage-context.js";

/** The order Mastra asked for, as its `parseOrderBy` reads it. */
export interface MessageOrder {
  field: string;
  direction: "ASC" | "DESC";
}

/** Mastra's `listMessages`: one page of one or more threads' messages, plus what `include` adds. */
export async function listMessages(
  context: StorageContext,
  args: StorageListMessagesInput,
  { field, direction }: MessageOrder,
): Promise<StorageListMessagesOutput> {
  const { threadId, resourceId, include, filter, perPage: perPageInput, page = 0 } = args;
  const metadataFilter = validateStorageMetadataFilter(filter?.metadata);
  const threadIds = Array.isArray(threadId) ? threadId : [threadId];
  if (threadIds.length === 0 || threadIds.some((id) => !id?.trim()))
    throw new EngramError(
      "INVALID_ARGUMENT",
      "threadId must be a non-empty string or array of non-empty strings",
    );
  const perPage = normalizePerPage(perPageInput, 40);
  if (page < 0) throw new EngramError("INVALID_ARGUMENT", "page must be >= 0");
  const { offset, perPage: perPageForResponse } = calculatePagination(page, perPageInput, perPage);
  const order = byCreatedAt(field === "createdAt" ? direction : "ASC");

  let selected: MastraDBMessage[] = [];
  if (perPage > 0) {
    for (const id of new Set(threadIds)) {
      const located = await locate(context, id);
      if (!located) continue;
      const messages = (await allMessages(context, located.thread)).map(toMastraMessage);
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
  for (const message of await included(context, include, resourceId)) {
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
async function included(
  context: StorageContext,
  include: StorageListMessagesInput["include"],
  resourceId: string | undefined,
): Promise<MastraDBMessage[]> {
  const out: MastraDBMessage[] = [];
  for (const item of include ?? []) {
    const [target] = await context.memory.messages.get({ within: context.root, ids: [item.id] });
    if (!target) continue;
    const address = { namespace: target.namespace, threadId: target.threadId };
    const window = [target];
    if (item.withPreviousMessages)
      window.unshift(
        ...(
          await context.memory.messages.list({
            ...address,
            before: target.id,
            limit: item.withPreviousMessages,
          })
        ).messages,
      );
    if (item.withNextMessages)
      window.push(
        ...(
          await context.memory.messages.list({
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
