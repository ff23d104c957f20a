import type { ResolvedScope } from "../../../namespace/scope.js";
import type {
  AppendMode,
  AppendResult,
  MessageQuery,
  MessageRecord,
  NewMessage,
  ThreadRecord,
} from "../../conversation-store.js";
import { type SqlValue, scopeClause } from "../where.js";
import { type SqliteAccess, threadRid } from "./access.js";
import { MESSAGE_COLUMNS, type MessageRow, rowToMessage } from "./rows.js";
import type { sqliteThreads } from "./threads.js";

const FROM_THREAD = "FROM messages m JOIN threads t ON t.rid = m.thread_rid";

/** Message reads and writes on SQLite: index ranges over (thread, created_at, seq). */
export function sqliteMessages(access: SqliteAccess, threads: ReturnType<typeof sqliteThreads>) {
  const { all, run, transaction } = access;

  function byIds(rid: number, ids: readonly string[]): Map<string, MessageRecord> {
    if (ids.length === 0) return new Map();
    // The ids drive the join (CROSS JOIN fixes the order), so each is one index lookup; `IN`
    // would let the planner walk the whole thread instead.
    const rows = all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM json_each(?) j CROSS JOIN messages m
       JOIN threads t ON t.rid = m.thread_rid WHERE m.thread_rid = ? AND m.id = j.value`,
      [JSON.stringify(ids), rid],
    );
    return new Map(rows.map((row) => [row.id, rowToMessage(row)]));
  }

  function appendMessages(
    thread: ThreadRecord,
    messages: readonly NewMessage[],
    mode: AppendMode,
    at: number,
  ): AppendResult {
    return transaction((): AppendResult => {
      let rid = threadRid(access, thread.namespace, thread.id);
      if (rid === undefined) {
        if (mode === "must-exist") return { status: "missing" };
        threads.insertThread(thread);
        rid = threadRid(access, thread.namespace, thread.id)!;
      } else if (mode === "must-create") {
        return { status: "exists" };
      }
      const stored = byIds(
        rid,
        messages.map((message) => message.id),
      );
      let [{ last_seq: seq }] = all<{ last_seq: number }>(
        "SELECT last_seq FROM threads WHERE rid = ?",
        [rid],
      ) as [{ last_seq: number }];
      const result: MessageRecord[] = [];
      let added = 0;
      for (const message of messages) {
        const existing = stored.get(message.id);
        if (existing) {
          result.push(existing);
          continue;
        }
        seq += 1;
        added += 1;
        run(
          `INSERT INTO messages (thread_rid, seq, id, role, content, metadata, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            rid,
            seq,
            message.id,
            message.role,
            JSON.stringify(message.content),
            JSON.stringify(message.metadata),
            message.createdAt,
          ],
        );
        const record: MessageRecord = {
          ...message,
          threadId: thread.id,
          namespace: thread.namespace,
          seq,
        };
        // A later input with the same id is a retry of this one.
        stored.set(message.id, record);
        result.push(record);
      }
      if (added > 0)
        run(
          `UPDATE threads SET last_seq = ?, message_count = message_count + ?, updated_at = ?
           WHERE rid = ?`,
          [seq, added, at, rid],
        );
      return {
        status: "appended",
        messages: result,
        thread: threads.getThread(thread.namespace, thread.id)!,
      };
    });
  }

  function readMessages(namespace: string, threadId: string, query: MessageQuery): MessageRecord[] {
    const parts = ["t.namespace = ?", "t.id = ?"];
    const params: SqlValue[] = [namespace, threadId];
    if (query.after) {
      parts.push("(m.created_at, m.seq) > (?, ?)");
      params.push(query.after.createdAt, query.after.seq);
    }
    if (query.before) {
      parts.push("(m.created_at, m.seq) < (?, ?)");
      params.push(query.before.createdAt, query.before.seq);
    }
    if (query.from !== undefined) {
      parts.push("m.created_at >= ?");
      params.push(query.from);
    }
    if (query.to !== undefined) {
      parts.push("m.created_at < ?");
      params.push(query.to);
    }
    if (query.roles) {
      parts.push(`m.role IN (${query.roles.map(() => "?").join(", ")})`);
      params.push(...query.roles);
    }
    const direction = query.direction === "forward" ? "ASC" : "DESC";
    return all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_THREAD} WHERE ${parts.join(" AND ")}
       ORDER BY m.created_at ${direction}, m.seq ${direction} LIMIT ?`,
      [...params, query.limit],
    ).map(rowToMessage);
  }

  function readAppended(
    namespace: string,
    threadId: string,
    afterSeq: number,
    limit: number,
  ): MessageRecord[] {
    return all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_THREAD} WHERE t.namespace = ? AND t.id = ? AND m.seq > ?
       ORDER BY m.seq LIMIT ?`,
      [namespace, threadId, afterSeq, limit],
    ).map(rowToMessage);
  }

  function getMessages(
    namespace: string,
    threadId: string,
    ids: readonly string[],
  ): (MessageRecord | undefined)[] {
    const rid = threadRid(access, namespace, threadId);
    if (rid === undefined) return ids.map(() => undefined);
    const found = byIds(rid, ids);
    return ids.map((id) => found.get(id));
  }

  function findMessages(
    scope: ResolvedScope,
    ids: readonly string[],
  ): (MessageRecord | undefined)[] {
    const scoped = scopeClause(scope, "t.namespace");
    const rows = all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_THREAD}
       WHERE m.id IN (SELECT value FROM json_each(?)) AND ${scoped.sql}
       ORDER BY t.updated_at DESC, t.namespace DESC, t.id DESC`,
      [JSON.stringify(ids), ...scoped.params],
    );
    const found = new Map<string, MessageRecord>();
    for (const row of rows) if (!found.has(row.id)) found.set(row.id, rowToMessage(row));
    return ids.map((id) => found.get(id));
  }

  function updateMessage(
    namespace: string,
    threadId: string,
    message: Pick<MessageRecord, "id" | "role" | "content" | "metadata">,
    at: number,
  ): MessageRecord | undefined {
    return transaction(() => {
      const rid = threadRid(access, namespace, threadId);
      if (rid === undefined) return undefined;
      const { changes } = run(
        "UPDATE messages SET role = ?, content = ?, metadata = ? WHERE thread_rid = ? AND id = ?",
        [
          message.role,
          JSON.stringify(message.content),
          JSON.stringify(message.metadata),
          rid,
          message.id,
        ],
      );
      if (changes === 0) return undefined;
      run("UPDATE threads SET updated_at = ? WHERE rid = ?", [at, rid]);
      return byIds(rid, [message.id]).get(message.id);
    });
  }

  function deleteMessages(
    namespace: string,
    threadId: string,
    ids: readonly string[],
    at: number,
  ): number {
    return transaction(() => {
      const rid = threadRid(access, namespace, threadId);
      if (rid === undefined) return 0;
      let changes = 0;
      for (const id of ids)
        changes += run("DELETE FROM messages WHERE thread_rid = ? AND id = ?", [rid, id]).changes;
      if (changes > 0)
        run("UPDATE threads SET message_count = message_count - ?, updated_at = ? WHERE rid = ?", [
          changes,
          at,
          rid,
        ]);
      return changes;
    });
  }

  return {
    appendMessages,
    readMessages,
    readAppended,
    getMessages,
    findMessages,
    updateMessage,
    deleteMessages,
  };
}
