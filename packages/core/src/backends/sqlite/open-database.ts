import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { EngramError } from "../../errors/engram-error.js";
import {
  type MetadataCondition,
  matchesMetadataCondition,
} from "../../retrieval/metadata-condition.js";
import { CONVERSATION_SCHEMA } from "./conversations/schema.js";
import { SCHEMA, SCHEMA_VERSION } from "./schema.js";
import { METADATA_CONDITION_FUNCTION } from "./where.js";

/** Opens (creating if needed) an Engram SQLite file: WAL mode, busy timeout, current schema. */
export async function openDatabase(path: string, timeoutMs: number): Promise<DatabaseSync> {
  const { DatabaseSync } = await loadSqlite();
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const handle = new DatabaseSync(path);
  registerMetadataCondition(handle);
  try {
    handle.exec(`PRAGMA busy_timeout = ${timeoutMs}`);
    // Switching to WAL takes an exclusive lock without consulting busy_timeout, so two
    // processes opening a new file at once can see SQLITE_BUSY here: retry briefly.
    if (path !== ":memory:")
      await retryWhileLocked(() => handle.exec("PRAGMA journal_mode = WAL"), timeoutMs);
    handle.exec("PRAGMA synchronous = NORMAL");
    // SQLite's default page cache is 2 MiB: at 100k memories, recall's record reads and its
    // batched uses (a row each, pages all over the file) then mostly miss it. 64 MiB at most,
    // taken only as pages are read.
    handle.exec("PRAGMA cache_size = -65536");
    handle.exec("BEGIN IMMEDIATE");
    handle.exec(SCHEMA);
    handle.exec(CONVERSATION_SCHEMA);
    migrate(handle);
    const version = handle.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
      | { value: string }
      | undefined;
    if (version && Number(version.value) > SCHEMA_VERSION) {
      throw new EngramError(
        "BACKEND_ERROR",
        `${path} was written by a newer Engram (schema ${version.value}); upgrade @engram/core.`,
      );
    }
    if (!version || Number(version.value) < SCHEMA_VERSION) {
      handle
        .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)")
        .run(String(SCHEMA_VERSION));
    }
    handle.exec("COMMIT");
    return handle;
  } catch (error) {
    if (handle.isTransaction) handle.exec("ROLLBACK");
    handle.close();
    throw error;
  }
}

async function loadSqlite(): Promise<typeof import("node:sqlite")> {
  try {
    return await import("node:sqlite");
  } catch (cause) {
    // Node before 22.13 has no node:sqlite (or hides it behind a flag).
    throw new EngramError(
      "BACKEND_ERROR",
      `Node 22.13+ is needed for the embedded store (this is Node ${process.versions.node}); upgrade Node, or use the Redis backend.`,
      { cause },
    );
  }
}

/** Lets SQL check a metadata condition with the same evaluator the other backends use. */
function registerMetadataCondition(handle: DatabaseSync): void {
  let lastText: string | undefined;
  let lastCondition: MetadataCondition | undefined;
  handle.function(
    METADATA_CONDITION_FUNCTION,
    { deterministic: true },
    (metadata: unknown, condition: unknown) => {
      if (condition !== lastText) {
        lastText = String(condition);
        lastCondition = JSON.parse(lastText) as MetadataCondition;
      }
      return matchesMetadataCondition(JSON.parse(String(metadata)), lastCondition!) ? 1 : 0;
    },
  );
}

/** Brings a file written by an older Engram up to the current layout (inside the open transaction). */
function migrate(handle: DatabaseSync): void {
  const columns = handle.prepare("PRAGMA table_info(history)").all() as { name: string }[];
  // Schema 1 had no history source (which thread and messages a change came from).
  if (!columns.some((column) => column.name === "source"))
    handle.exec("ALTER TABLE history ADD COLUMN source TEXT");
  const eventColumns = handle.prepare("PRAGMA table_info(events)").all() as { name: string }[];
  // Schema 2 numbered events store-wide; its ids stay valid as each tenant's numbering.
  if (!eventColumns.some((column) => column.name === "tenant")) {
    handle.exec(`
      ALTER TABLE events ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
      ALTER TABLE events ADD COLUMN tenant_seq INTEGER NOT NULL DEFAULT 0;
      UPDATE events SET tenant_seq = seq, tenant = CASE WHEN instr(namespace, '/') > 0
        THEN substr(namespace, 1, instr(namespace, '/') - 1) ELSE namespace END;
      INSERT OR REPLACE INTO event_counters (tenant, seq)
        SELECT tenant, max(tenant_seq) FROM events GROUP BY tenant;
    `);
  }
  handle.exec("CREATE INDEX IF NOT EXISTS events_tenant ON events (tenant, tenant_seq)");
}

async function retryWhileLocked(work: () => void, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      work();
      return;
    } catch (error) {
      const locked = (error as { errcode?: number }).errcode === 5;
      if (!locked || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
