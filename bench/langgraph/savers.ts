// The checkpointers bench/langgraph.ts compares, each with what it needs to start and to clean up.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RedisSaver } from "@engram/langgraph";
import { type BaseCheckpointSaver, MemorySaver } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import Database from "better-sqlite3";
import pg from "pg";
import { createClient } from "redis";

/** A saver under test, and how to remove everything it wrote. */
export interface SaverUnderTest {
  name: string;
  saver: BaseCheckpointSaver;
  /** How many puts the fill may run at once: 1 for a synchronous driver. */
  fillConcurrency: number;
  close(): Promise<void>;
}

/** RedisSaver on its own key prefix; `close` deletes every key under it. */
export async function openRedis(url: string): Promise<SaverUnderTest> {
  const client = createClient({ url });
  await client.connect();
  const prefix = `bench-lg-${randomUUID().slice(0, 8)}`;
  return {
    name: "RedisSaver",
    saver: new RedisSaver({ client, prefix }),
    fillConcurrency: 32,
    async close() {
      // SCAN is fine here: this is cleanup after the bench, not a graph step.
      for await (const keys of client.scanIterator({ MATCH: `*${prefix}*`, COUNT: 5000 })) {
        if (keys.length > 0) await client.unlink(keys);
      }
      await client.close();
    },
  };
}

/** LangGraph's in-process saver. */
export async function openMemory(): Promise<SaverUnderTest> {
  return {
    name: "MemorySaver",
    saver: new MemorySaver(),
    fillConcurrency: 1,
    close: async () => {},
  };
}

/**
 * The SQLite saver on a better-sqlite3 13 database in a temporary file: the saver's own
 * better-sqlite3 12 aborts during garbage collection under Node 24.
 */
export async function openSqlite(): Promise<SaverUnderTest> {
  const directory = mkdtempSync(join(tmpdir(), "bench-lg-sqlite-"));
  let database: Database.Database;
  try {
    database = new Database(join(directory, "checkpoints.db"));
  } catch (cause) {
    rmSync(directory, { recursive: true, force: true });
    // The install skips native builds (pnpm-workspace.yaml), so the driver is built on demand.
    throw new Error(
      "better-sqlite3 is not built: run `npx -y pnpm@10.34.8 rebuild better-sqlite3` (compiles C++, a few minutes) for the SqliteSaver row.",
      { cause },
    );
  }
  database.pragma("journal_mode = WAL");
  // biome-ignore lint/suspicious/noExplicitAny: the saver is typed against its own better-sqlite3 12.
  const saver = new SqliteSaver(database as any);
  return {
    name: "SqliteSaver",
    saver,
    fillConcurrency: 1,
    async close() {
      database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The Postgres saver in a schema of its own, dropped on `close`. */
export async function openPostgres(url: string): Promise<SaverUnderTest> {
  const schema = `bench_lg_${randomUUID().slice(0, 8)}`;
  const saver = PostgresSaver.fromConnString(url, { schema });
  await saver.setup();
  return {
    name: "PostgresSaver",
    saver,
    fillConcurrency: 8,
    async close() {
      await saver.end();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
}
