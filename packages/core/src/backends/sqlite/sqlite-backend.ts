import { resolve } from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { EngramError } from "../../errors/engram-error.js";
import { decodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { deserializeRecord } from "../../record/serialize.js";
import { defaultGraphDirectory } from "../../retrieval/graph-files.js";
import { bytesToVector } from "../../retrieval/vector-math.js";
import type { Backend, EmbeddingSpace, HistoryEntry, WriteOperation } from "../backend.js";
import { assertSameSpace } from "../embedding-space.js";
import { applyOperations } from "./apply-operations.js";
import { sqliteConversations } from "./conversations/sqlite-conversations.js";
import { appendEvents, type PendingEvent, pollEvents } from "./event-log.js";
import { sqliteKeywordCache } from "./keyword-cache.js";
import { sqliteKeywordSearch } from "./keyword-search.js";
import { type ChangedRow, sqliteNearDuplicates } from "./near-duplicates.js";
import { openDatabase } from "./open-database.js";
import { pendingUses } from "./pending-uses.js";
import { type MemoryRow, RECORD_COLUMNS, rowToRecord } from "./rows.js";
import { candidateFields } from "./search-hits.js";
import { sqliteSearches } from "./sqlite-searches.js";
import { sqliteVectorCache } from "./vector-cache.js";
import { type SqlValue, scopeClause, whereClause } from "./where.js";

/** Where the embedded store lives when no path is given. */
export const DEFAULT_SQLITE_PATH = ".engram/memory.db";

export interface SqliteBackendOptions {
  /** A file path, or `":memory:"`. Defaults to `./.engram/memory.db`. */
  path?: string;
  /** How long a writer waits for another process's lock, in milliseconds. */
  busyTimeoutMs?: number;
  /** How many change events the log keeps for subscribers to resume from. Default 100,000. */
  eventLogSize?: number;
  /** How often subscribers look for other processes' writes, in milliseconds. Default 100. */
  pollMs?: number;
  /**
   * Where the approximate-nearest-neighbour graphs of large namespaces are saved between runs,
   * so a reopened store answers without building them again: a directory, or `false` for
   * nowhere. Default: a directory per file under `$XDG_CACHE_HOME/engram/vector-index` (or
   * `~/.cache/...`). Saved graphs are checked against the file's vectors when loaded.
   */
  vectorIndexCache?: string | false;
}

function graphDirectory(path: string, options: SqliteBackendOptions): string | undefined {
  if (options.vectorIndexCache === false || path === ":memory:" || path === "") return undefined;
  return options.vectorIndexCache ?? defaultGraphDirectory(`sqlite:${resolve(path)}`);
}

/**
 * The embedded backend: one SQLite file (node:sqlite, no native addon). Exact vector search
 * runs in process over a vector cache; keyword search uses SQLite's FTS5 index. WAL mode and
 * immediate transactions let several processes write the same file safely.
 */
export function sqliteBackend(options: SqliteBackendOptions = {}): Backend {
  const path = options.path ?? DEFAULT_SQLITE_PATH;
  let db: DatabaseSync | undefined;
  let opening: Promise<void> | undefined;
  const statements = new Map<string, StatementSync>();
  const subscriptions = new Set<ReturnType<typeof pollEvents>>();
  const eventLogSize = options.eventLogSize ?? 100_000;
  const timeoutMs = options.busyTimeoutMs ?? 10_000;

  function database(): DatabaseSync {
    if (!db) throw new EngramError("CLOSED", "The SQLite backend is not open.");
    return db;
  }

  function statement(sql: string): StatementSync {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = database().prepare(sql);
      if (statements.size > 200) statements.clear();
      statements.set(sql, prepared);
    }
    return prepared;
  }

  function all<T>(sql: string, params: SqlValue[] = []): T[] {
    return statement(sql).all(...params) as T[];
  }
  const keywordCache = sqliteKeywordCache({
    statement,
    scanning: () => fields.scan(dataVersion()),
  });
  const keywordSearch = sqliteKeywordSearch({ all, cache: keywordCache });

  let inTransaction = false;
  function transaction<T>(work: () => T): T {
    const handle = database();
    handle.exec("BEGIN IMMEDIATE");
    inTransaction = true;
    try {
      const result = work();
      handle.exec("COMMIT");
      return result;
    } catch (error) {
      handle.exec("ROLLBACK");
      throw error;
    } finally {
      inTransaction = false;
    }
  }

  const near = sqliteNearDuplicates({ all, transaction });

  const vectorCache = sqliteVectorCache({ all, statement }, graphDirectory(path, options));

  // Ranking's fields of search hits, between searches (see `candidateFields`).
  const dataVersion = () =>
    Number((statement("PRAGMA data_version").get() as { data_version: number }).data_version);
  const fields = candidateFields(all, dataVersion, (id) => uses.countOf(id));

  // Recall's uses, written in batches (see `pendingUses`); rows read here show them at once.
  const uses = pendingUses((held) => {
    const writeUses = () => {
      const update = statement(
        "UPDATE memories SET last_accessed_at = ?, access_count = access_count + ? WHERE id = ?",
      );
      for (const [id, { count, at }] of held) update.run(at, count, id);
    };
    const committed = !inTransaction;
    if (committed) transaction(writeUses);
    else writeUses();
    fields.used(held, committed);
  });
  const toRecord = (row: MemoryRow) => rowToRecord(uses.apply(row));

  function afterOwnWrite(version: string, changed: ChangedRow[]): void {
    fields.written(changed.map((row) => row.rid));
    near.afterWrite(version, changed);
    vectorCache.afterOwnWrite(version, changed);
    keywordCache.afterOwnWrite(version, changed);
  }

  function wrap<T>(what: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (EngramError.isInstance(error)) throw error;
      // Another process took the key between our check and our write.
      if (
        /UNIQUE constraint failed: memories\.namespace, memories\.mkey/.test(
          (error as Error).message,
        )
      ) {
        throw new EngramError(
          "CONFLICT",
          "Another writer stored a memory with the same key first.",
          { cause: error },
        );
      }
      throw new EngramError("BACKEND_ERROR", `SQLite ${what} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async function open(): Promise<void> {
    if (db) return;
    opening ??= openDatabase(path, timeoutMs).then((handle) => {
      db = handle;
    });
    try {
      await opening;
    } catch (error) {
      throw EngramError.isInstance(error)
        ? error
        : new EngramError("BACKEND_ERROR", `Opening ${path} failed: ${(error as Error).message}`, {
            cause: error,
          });
    } finally {
      opening = undefined;
    }
  }

  function readSpace(): EmbeddingSpace | undefined {
    const rows = all<{ key: string; value: string }>(
      "SELECT key, value FROM meta WHERE key IN ('embedding_model', 'embedding_dimensions')",
    );
    const model = rows.find((row) => row.key === "embedding_model")?.value;
    const dimensions = rows.find((row) => row.key === "embedding_dimensions")?.value;
    return model && dimensions ? { model, dimensions: Number(dimensions) } : undefined;
  }

  function records(rows: MemoryRow[]): MemoryRecord[] {
    return rows.map(toRecord);
  }

  function byRid(rids: number[]): Map<number, MemoryRecord> {
    if (rids.length === 0) return new Map();
    const rows = all<MemoryRow>(
      `SELECT ${RECORD_COLUMNS} FROM memories m WHERE m.rid IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(rids)],
    );
    return new Map(rows.map((row) => [row.rid, toRecord(row)]));
  }

  const searches = sqliteSearches({
    all,
    wrap,
    vectorCache,
    keywordSearch,
    near,
    fields,
    byRid,
    toRecord,
  });

  const conversations = sqliteConversations({
    all,
    run: (sql, params = []) => statement(sql).run(...params) as { changes: number },
    transaction,
    wrap,
  });

  return {
    name: "sqlite",
    open,
    conversations,

    async embeddingSpace() {
      return wrap("read", readSpace);
    },

    async bindEmbeddingSpace(space) {
      wrap("bind", () =>
        transaction(() => {
          const bound = readSpace();
          if (!bound) {
            const insert = statement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
            insert.run("embedding_model", space.model);
            insert.run("embedding_dimensions", String(space.dimensions));
            return;
          }
          assertSameSpace(bound, space, path);
        }),
      );
    },

    async write(operations: readonly WriteOperation[]) {
      wrap("write", () => {
        const changed: ChangedRow[] = [];
        const version = transaction((): string | undefined => {
          // Held uses first, so a write that carries a memory's counts overwrites them last.
          uses.flush();
          const events: PendingEvent[] = [];
          // Expired rows are invisible to reads; dropping them here frees their keys.
          const newest = Math.max(
            0,
            ...operations.map((op) => (op.type === "put" ? op.memory.updatedAt.getTime() : 0)),
          );
          for (const row of all<{ rid: number }>(
            "DELETE FROM memories WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING rid",
            [newest],
          )) {
            changed.push({ rid: row.rid, vector: undefined });
          }
          events.push(...applyOperations({ all, statement, near }, operations, changed));
          appendEvents(database(), events, eventLogSize);
          return changed.length > 0 ? vectorCache.bump() : undefined;
        });
        if (version !== undefined) afterOwnWrite(version, changed);
        for (const subscription of subscriptions) subscription.wake();
      });
    },

    async get(ids, now) {
      return wrap("get", () => {
        const rows = all<MemoryRow>(
          `SELECT ${RECORD_COLUMNS} FROM memories m WHERE m.id IN (SELECT value FROM json_each(?))
           AND (m.expires_at IS NULL OR m.expires_at > ?)`,
          [JSON.stringify(ids), now],
        );
        const found = new Map(rows.map((row) => [row.id, toRecord(row)]));
        return ids.map((id) => found.get(id));
      });
    },

    async getVectors(ids, now) {
      return wrap("get", () => {
        const rows = all<{ id: string; embedding: Uint8Array }>(
          `SELECT m.id, v.embedding FROM memories m JOIN memory_vectors v ON v.rid = m.rid
           WHERE m.id IN (SELECT value FROM json_each(?))
             AND (m.expires_at IS NULL OR m.expires_at > ?)`,
          [JSON.stringify(ids), now],
        );
        const found = new Map(rows.map((row) => [row.id, bytesToVector(row.embedding)]));
        return ids.map((id) => found.get(id));
      });
    },

    async getByKey(namespace, key, now) {
      return wrap("get", () => {
        const [row] = all<MemoryRow>(
          `SELECT ${RECORD_COLUMNS} FROM memories m WHERE m.namespace = ? AND m.mkey = ?
           AND (m.expires_at IS NULL OR m.expires_at > ?)`,
          [namespace, key, now],
        );
        return row ? toRecord(row) : undefined;
      });
    },

    async findByContentHash(namespace, hashes, now) {
      // `+m.id`: ordering by the (namespace, id) index would scan the whole namespace; this
      // way SQLite looks each hash up in (namespace, content_hash) and sorts the few rows.
      return wrap("read", () =>
        records(
          all<MemoryRow>(
            `SELECT ${RECORD_COLUMNS} FROM memories m WHERE m.namespace = ?
             AND m.content_hash IN (SELECT value FROM json_each(?))
             AND (m.expires_at IS NULL OR m.expires_at > ?) ORDER BY +m.id`,
            [namespace, JSON.stringify(hashes), now],
          ),
        ),
      );
    },

    async touch(ids, at) {
      if (ids.length === 0) return;
      wrap("touch", () => uses.add(ids, at));
    },

    async history(id) {
      return wrap("read", () =>
        all<{
          memory_id: string;
          namespace: string;
          action: HistoryEntry["action"];
          before: string | null;
          after: string | null;
          at: number;
          source: string | null;
        }>(
          "SELECT memory_id, namespace, action, before, after, at, source FROM history WHERE memory_id = ? ORDER BY seq",
          [id],
        ).map((row) => ({
          memoryId: row.memory_id,
          namespace: decodeNamespace(row.namespace),
          action: row.action,
          before: row.before === null ? undefined : deserializeRecord(row.before),
          after: row.after === null ? undefined : deserializeRecord(row.after),
          at: new Date(row.at),
          ...(row.source === null ? {} : { source: JSON.parse(row.source) }),
        })),
      );
    },

    async findVectors(model, hashes, tenant) {
      return wrap("read", () => {
        const rows = all<{ content_hash: string; embedding: Uint8Array }>(
          `SELECT m.content_hash, v.embedding FROM memories m JOIN memory_vectors v ON v.rid = m.rid
           WHERE m.embedding_model = ? AND m.content_hash IN (SELECT value FROM json_each(?))
             AND (m.namespace = ? OR substr(m.namespace, 1, length(?) + 1) = ? || '/')
           GROUP BY m.content_hash`,
          [model, JSON.stringify(hashes), tenant, tenant, tenant],
        );
        return new Map(rows.map((row) => [row.content_hash, bytesToVector(row.embedding)]));
      });
    },

    async list(selection, { limit, before }) {
      return wrap("list", () => {
        const where = whereClause(selection);
        const params = [...where.params];
        let sql = `SELECT ${RECORD_COLUMNS} FROM memories m WHERE ${where.sql}`;
        if (before !== undefined) {
          sql += " AND m.id < ?";
          params.push(before);
        }
        return records(all<MemoryRow>(`${sql} ORDER BY m.id DESC LIMIT ?`, [...params, limit]));
      });
    },

    async namespaces() {
      return wrap("read", () =>
        all<{ namespace: string }>(
          "SELECT DISTINCT namespace FROM memories ORDER BY namespace",
        ).map((row) => row.namespace),
      );
    },

    async countNamespaces(selection) {
      return wrap("list", () => {
        const where = whereClause(selection);
        return all<{ namespace: string; kind: string; count: number }>(
          `SELECT m.namespace AS namespace, m.kind AS kind, count(*) AS count FROM memories m
           WHERE ${where.sql} GROUP BY m.namespace, m.kind`,
          where.params,
        );
      });
    },

    ...searches,

    async selectIds(selection) {
      return wrap("read", () => {
        const where = whereClause(selection);
        return all<{ id: string }>(
          `SELECT m.id FROM memories m WHERE ${where.sql}`,
          where.params,
        ).map((row) => row.id);
      });
    },

    async deleteSubtree(prefix) {
      const subtree = whereClause({
        scope: { exact: [], prefixes: [prefix] },
        filter: {},
        now: Number.MIN_SAFE_INTEGER,
      });
      return wrap("delete", () => {
        const { deleted, version } = transaction(() => {
          const deleted = all<{ rid: number; id: string; namespace: string; kind: string }>(
            `DELETE FROM memories AS m WHERE ${subtree.sql} RETURNING rid, id, namespace, kind`,
            subtree.params,
          );
          const erased = scopeClause({ exact: [], prefixes: [prefix] });
          all(`DELETE FROM history AS m WHERE ${erased.sql} RETURNING seq`, erased.params);
          const at = Date.now();
          appendEvents(
            database(),
            deleted.map((row) => ({
              type: "deleted",
              memoryId: row.id,
              namespace: row.namespace,
              kind: row.kind,
              at,
            })),
            eventLogSize,
          );
          return { deleted, version: deleted.length > 0 ? vectorCache.bump() : undefined };
        });
        if (version !== undefined)
          afterOwnWrite(
            version,
            deleted.map((row) => ({ rid: row.rid, vector: undefined })),
          );
        for (const subscription of subscriptions) subscription.wake();
        return deleted.length;
      });
    },

    async subscribe(scope, handler, subscribeOptions) {
      await open();
      const subscription = wrap("subscribe", () =>
        pollEvents(scope, handler, {
          ...subscribeOptions,
          db: database,
          pollMs: options.pollMs ?? 100,
        }),
      );
      subscriptions.add(subscription);
      return {
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },

    async close() {
      await opening?.catch(() => undefined);
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      subscriptions.clear();
      // Closing closes, even when the last uses cannot be written (the file is locked, say).
      try {
        if (db) uses.flush();
      } catch (error) {
        console.warn(
          `[engram] SQLite: the last uses of recalled memories were not written: ${(error as Error).message}`,
        );
      }
      uses.discard();
      statements.clear();
      vectorCache.persist();
      vectorCache.clear();
      keywordCache.clear();
      fields.clear();
      near.clear();
      db?.close();
      db = undefined;
    },
  };
}
