import type { ResolvedScope } from "../../../namespace/scope.js";
import type { JsonObject } from "../../../record/memory-record.js";
import type { StoredSummary, ThreadCursor, ThreadRecord } from "../../conversation-store.js";
import { metadataClause, type SqlValue, scopeClause } from "../where.js";
import type { SqliteAccess } from "./access.js";
import { rowToThread, THREAD_COLUMNS, type ThreadRow } from "./rows.js";

/** Thread reads and writes on SQLite; every write is one transaction. */
export function sqliteThreads(access: SqliteAccess) {
  const { all, run, transaction } = access;

  function getThread(namespace: string, id: string): ThreadRecord | undefined {
    const [row] = all<ThreadRow>(
      `SELECT ${THREAD_COLUMNS} FROM threads t WHERE t.namespace = ? AND t.id = ?`,
      [namespace, id],
    );
    return row ? rowToThread(row) : undefined;
  }

  /** Inserts a thread row inside the caller's transaction; false when the id is taken. */
  function insertThread(thread: ThreadRecord): boolean {
    const inserted = all<{ rid: number }>(
      `INSERT INTO threads (namespace, id, title, metadata, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, id) DO NOTHING RETURNING rid`,
      [
        thread.namespace,
        thread.id,
        thread.title ?? null,
        JSON.stringify(thread.metadata),
        thread.createdAt,
        thread.updatedAt,
      ],
    );
    return inserted.length > 0;
  }

  function findThread(scope: ResolvedScope, id: string): ThreadRecord | undefined {
    const scoped = scopeClause(scope, "t.namespace");
    const [row] = all<ThreadRow>(
      `SELECT ${THREAD_COLUMNS} FROM threads t WHERE t.id = ? AND ${scoped.sql}
       ORDER BY t.updated_at DESC, t.namespace DESC LIMIT 1`,
      [id, ...scoped.params],
    );
    return row ? rowToThread(row) : undefined;
  }

  function updateThread(
    namespace: string,
    id: string,
    patch: { title?: string | null | undefined; metadata?: JsonObject | undefined },
    at: number,
  ): ThreadRecord | undefined {
    return transaction(() => {
      const sets = ["updated_at = ?"];
      const params: SqlValue[] = [at];
      if (patch.title !== undefined) {
        sets.push("title = ?");
        params.push(patch.title);
      }
      if (patch.metadata !== undefined) {
        sets.push("metadata = ?");
        params.push(JSON.stringify(patch.metadata));
      }
      const { changes } = run(
        `UPDATE threads SET ${sets.join(", ")} WHERE namespace = ? AND id = ?`,
        [...params, namespace, id],
      );
      return changes > 0 ? getThread(namespace, id) : undefined;
    });
  }

  function deleteThread(namespace: string, id: string): boolean {
    return transaction(() => {
      const [row] = all<{ rid: number }>(
        "DELETE FROM threads WHERE namespace = ? AND id = ? RETURNING rid",
        [namespace, id],
      );
      if (!row) return false;
      run("DELETE FROM messages WHERE thread_rid = ?", [row.rid]);
      run("DELETE FROM working_memories WHERE namespace = ? AND thread_id = ?", [namespace, id]);
      return true;
    });
  }

  function listThreads(
    scope: ResolvedScope,
    options: {
      metadata: Readonly<Record<string, string | number | boolean | null>> | undefined;
      order: "newest" | "oldest";
      limit: number;
      after: ThreadCursor | undefined;
    },
  ): ThreadRecord[] {
    const scoped = scopeClause(scope, "t.namespace");
    const metadata = metadataClause("t.metadata", options.metadata);
    const parts = [scoped.sql, ...metadata.parts];
    const params: SqlValue[] = [...scoped.params, ...metadata.params];
    const direction = options.order === "newest" ? "DESC" : "ASC";
    if (options.after) {
      parts.push(
        `(t.updated_at, t.namespace, t.id) ${options.order === "newest" ? "<" : ">"} (?, ?, ?)`,
      );
      params.push(options.after.updatedAt, options.after.namespace, options.after.id);
    }
    return all<ThreadRow>(
      `SELECT ${THREAD_COLUMNS} FROM threads t WHERE ${parts.join(" AND ")}
       ORDER BY t.updated_at ${direction}, t.namespace ${direction}, t.id ${direction} LIMIT ?`,
      [...params, options.limit],
    ).map(rowToThread);
  }

  function setSummary(namespace: string, id: string, summary: StoredSummary): boolean {
    return transaction(
      () =>
        run("UPDATE threads SET summary = ? WHERE namespace = ? AND id = ?", [
          JSON.stringify(summary),
          namespace,
          id,
        ]).changes > 0,
    );
  }

  return {
    getThread,
    insertThread,
    createThread: (thread: ThreadRecord) => transaction(() => insertThread(thread)),
    findThread,
    updateThread,
    deleteThread,
    listThreads,
    setSummary,
  };
}
