import type { SqlValue } from "../where.js";

/** What the conversation store needs from the SQLite backend's open connection. */
export interface SqliteAccess {
  all<T>(sql: string, params?: SqlValue[]): T[];
  run(sql: string, params?: SqlValue[]): { changes: number };
  /** Runs `work` in one immediate transaction: writers in other processes wait for it. */
  transaction<T>(work: () => T): T;
  /** Maps driver failures to `EngramError`s. */
  wrap<T>(what: string, work: () => T): T;
}

/** The rid of a thread, or undefined. */
export function threadRid(access: SqliteAccess, namespace: string, id: string): number | undefined {
  return access.all<{ rid: number }>("SELECT rid FROM threads WHERE namespace = ? AND id = ?", [
    namespace,
    id,
  ])[0]?.rid;
}
