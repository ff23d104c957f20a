import { EngramError, type Memory, type Message, type Namespace, type Thread } from "@engram/core";
import type { StorageThreadType } from "@mastra/core/memory";
import type { ResourceNamespace } from "../resource-namespace.js";

/** Where a thread's resource id is kept in its Engram metadata. */
export const RESOURCE_KEY = "mastra:resourceId";
/** How many threads or messages one Engram list call reads. */
export const PAGE = 1000;

/** What every part of the memory domain reads and writes through. */
export interface StorageContext {
  memory: Memory;
  /** Every Mastra thread, message and resource lives under this namespace. */
  root: Namespace;
  resourceNamespace: ResourceNamespace;
}

/** A thread found by id, with the Mastra resource it belongs to. */
export interface Located {
  thread: Thread;
  resourceId: string;
}

export function notFound(what: string): EngramError {
  return new EngramError("NOT_FOUND", `${what} was not found.`);
}

export function byCreatedAt(direction: "ASC" | "DESC") {
  return (a: { createdAt: Date }, b: { createdAt: Date }) =>
    direction === "ASC"
      ? a.createdAt.getTime() - b.createdAt.getTime()
      : b.createdAt.getTime() - a.createdAt.getTime();
}

/** The thread with this id anywhere under the root, or undefined. */
export async function locate(
  context: StorageContext,
  threadId: string,
): Promise<Located | undefined> {
  const thread = await context.memory.threads.get({ within: context.root, threadId });
  if (!thread) return undefined;
  return { thread, resourceId: String(thread.metadata[RESOURCE_KEY] ?? "") };
}

/** An Engram thread as Mastra sees it: the resource id moves out of the metadata. */
export function toMastraThread({ thread, resourceId }: Located): StorageThreadType {
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

/** Every message of a thread, oldest first. */
export async function allMessages(context: StorageContext, thread: Thread): Promise<Message[]> {
  const pages: Message[][] = [];
  let before: string | undefined;
  do {
    const window = await context.memory.messages.list({
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
