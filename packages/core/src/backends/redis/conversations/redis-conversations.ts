import type { ConversationStore } from "../../conversation-store.js";
import type { RedisKeys } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import { redisEraseConversations } from "./erase.js";
import { redisIngestClaims } from "./ingest-claims.js";
import { redisMessages } from "./messages.js";
import { conversationTenantRegistry } from "./namespaces.js";
import { redisThreads } from "./threads.js";
import { redisWorkingMemory } from "./working-memory.js";

/**
 * Threads, messages, working memory and ingest state in Redis, on the backend's own RESP2
 * connection. Keys come from `redisKeys`; every single-thread write is one Lua script.
 */
export function redisConversations(
  connection: () => RedisClientLike,
  keys: RedisKeys,
  wrap: <T>(what: string, work: () => Promise<T>) => Promise<T>,
  registered: Set<string> = new Set(),
): ConversationStore {
  const threads = redisThreads(connection, keys);
  const register = conversationTenantRegistry(keys, registered);
  const messages = redisMessages(connection, keys, threads, register);
  const workingMemory = redisWorkingMemory(connection, keys, register);
  const claims = redisIngestClaims(connection, keys);
  const erase = redisEraseConversations(connection, keys);
  const run =
    <A extends unknown[], R>(what: string, work: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      wrap(what, () => work(...args));
  return {
    createThread: run("write", async (thread) => {
      const result = await messages.appendMessages(thread, [], "must-create", thread.updatedAt);
      return result.status === "appended";
    }),
    getThread: run("read", threads.getThread),
    findThread: run("read", threads.findThread),
    updateThread: run("write", threads.updateThread),
    deleteThread: run("delete", threads.deleteThread),
    listThreads: run("list", threads.listThreads),
    setSummary: run("write", threads.setSummary),
    appendMessages: run("write", messages.appendMessages),
    readMessages: run("read", messages.readMessages),
    readAppended: run("read", messages.readAppended),
    getMessages: run("read", messages.getMessages),
    findMessages: run("read", messages.findMessages),
    updateMessage: run("write", messages.updateMessage),
    deleteMessages: run("delete", messages.deleteMessages),
    getWorkingMemory: run("read", workingMemory.getWorkingMemory),
    writeWorkingMemory: run("write", workingMemory.writeWorkingMemory),
    deleteWorkingMemory: run("delete", workingMemory.deleteWorkingMemory),
    claimIngest: run("write", claims.claimIngest),
    advanceIngest: run("write", claims.advanceIngest),
    releaseIngest: run("write", claims.releaseIngest),
    deleteSubtree: run("delete", erase),
  };
}
