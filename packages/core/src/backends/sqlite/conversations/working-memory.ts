import type { JsonObject } from "../../../record/memory-record.js";
import type {
  StoredWorkingMemory,
  WorkingMemoryKey,
  WorkingMemoryWrite,
} from "../../conversation-store.js";
import { type SqliteAccess, threadRid } from "./access.js";
import { rowToWorkingMemory, type WorkingMemoryRow } from "./rows.js";

/**
 * Working memory on SQLite. A versioned write reads and writes in one immediate transaction,
 * so no other writer (thread or process) can slip in between the check and the write.
 */
export function sqliteWorkingMemory(access: SqliteAccess) {
  const { all, run, transaction } = access;
  const where = "namespace = ? AND thread_id = ?";
  const params = (key: WorkingMemoryKey) => [key.namespace, key.threadId ?? ""];

  function getWorkingMemory(key: WorkingMemoryKey): StoredWorkingMemory | undefined {
    const [row] = all<WorkingMemoryRow>(
      `SELECT content, version, updated_at FROM working_memories WHERE ${where}`,
      params(key),
    );
    return row ? rowToWorkingMemory(row) : undefined;
  }

  function writeWorkingMemory(
    key: WorkingMemoryKey,
    content: JsonObject | string,
    expected: number | undefined,
    at: number,
  ): WorkingMemoryWrite {
    return transaction((): WorkingMemoryWrite => {
      if (
        key.threadId !== undefined &&
        threadRid(access, key.namespace, key.threadId) === undefined
      )
        return { status: "missing-thread" };
      const current = getWorkingMemory(key)?.version ?? 0;
      if (expected !== undefined && expected !== current)
        return { status: "conflict", version: current };
      const stored = { content, version: current + 1, updatedAt: at };
      run(
        `INSERT INTO working_memories (namespace, thread_id, content, version, updated_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, thread_id)
         DO UPDATE SET content = excluded.content, version = excluded.version,
         updated_at = excluded.updated_at`,
        [...params(key), JSON.stringify(content), stored.version, at],
      );
      return { status: "written", workingMemory: stored };
    });
  }

  function deleteWorkingMemory(key: WorkingMemoryKey): boolean {
    return transaction(
      () => run(`DELETE FROM working_memories WHERE ${where}`, params(key)).changes > 0,
    );
  }

  return { getWorkingMemory, writeWorkingMemory, deleteWorkingMemory };
}
