import type { ConversationErasure } from "../../conversation-store.js";
import { scopeClause } from "../where.js";
import type { SqliteAccess } from "./access.js";

/** Erases every thread, message and working memory in an encoded subtree, in one transaction. */
export function sqliteEraseConversations(access: SqliteAccess) {
  const { all, run, transaction } = access;
  return function deleteSubtree(prefix: string): ConversationErasure {
    const scope = { exact: [], prefixes: [prefix] };
    const threads = scopeClause(scope, "namespace");
    return transaction(() => {
      const deleted = all<{ rid: number }>(
        `DELETE FROM threads WHERE ${threads.sql} RETURNING rid`,
        threads.params,
      );
      const messages =
        deleted.length === 0
          ? 0
          : run("DELETE FROM messages WHERE thread_rid IN (SELECT value FROM json_each(?))", [
              JSON.stringify(deleted.map((row) => row.rid)),
            ]).changes;
      const workingMemories = run(
        `DELETE FROM working_memories WHERE ${threads.sql}`,
        threads.params,
      ).changes;
      return { threads: deleted.length, messages, workingMemories };
    });
  };
}
