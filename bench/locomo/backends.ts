// Which store the LoCoMo bench runs on. Each call makes a fresh backend instance, so every
// recall mode starts with a cold query-embedding cache over the same stored data.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend } from "@engram/core";
import * as core from "@engram/core";

export interface BenchStore {
  /** What the table calls it. */
  label: string;
  /** A new backend over the same data. */
  open(): Backend;
  /** Removes what the run left behind (files; Redis keys are erased by forgetNamespace). */
  dispose(): void;
}

export type StoreChoice = { ok: true; store: BenchStore } | { ok: false; reason: string };

/** The embedded SQLite store in a temp file, or Redis under a prefix of its own. */
export function chooseStore(name: string, redisUrl: string, runId: string): StoreChoice {
  if (name === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "engram-locomo-"));
    const path = join(dir, "memory.db");
    return {
      ok: true,
      store: {
        label: "sqlite (embedded, temp file)",
        open: () => core.sqliteBackend({ path }),
        dispose: () => rmSync(dir, { recursive: true, force: true }),
      },
    };
  }
  if (name === "redis") {
    const prefix = `engram-locomo-${runId}`;
    return {
      ok: true,
      store: {
        label: `redis (${redisUrl.replace(/\/\/[^@/]*@/, "//")}, prefix ${prefix})`,
        open: () => core.redisBackend({ url: redisUrl }, { prefix }),
        dispose: () => {},
      },
    };
  }
  return { ok: false, reason: `unknown backend "${name}" (use sqlite or redis)` };
}
