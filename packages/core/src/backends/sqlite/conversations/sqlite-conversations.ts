import type { ConversationStore } from "../../conversation-store.js";
import type { SqliteAccess } from "./access.js";
import { sqliteEraseConversations } from "./erase.js";
import { sqliteIngestClaims } from "./ingest-claims.js";
import { sqliteMessages } from "./messages.js";
import { sqliteThreads } from "./threads.js";
import { sqliteWorkingMemory } from "./working-memory.js";

/** Threads, messages, working memory and ingest state in the embedded SQLite file. */
export function sqliteConversations(access: SqliteAccess): ConversationStore {
  const threads = sqliteThreads(access);
  const messages = sqliteMessages(access, threads);
  const workingMemory = sqliteWorkingMemory(access);
  const claims = sqliteIngestClaims(access);
  const erase = sqliteEraseConversations(access);
  // node:sqlite is synchronous: each operation runs to completion (and commits) before it
  // resolves, and `wrap` turns driver errors into EngramErrors.
  const run =
    <A extends unknown[], R>(what: string, work: (...args: A) => R) =>
    async (...args: A): Promise<R> =>
      access.wrap(what, () => work(...args));
  return {
    createThread: run("write", threads.createThread),
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
