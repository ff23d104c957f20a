import type { DatabaseSync } from "node:sqlite";
import { EngramError } from "../../errors/engram-error.js";
import { decodeNamespace } from "../../namespace/namespace.js";
import { type ResolvedScope, scopeIncludes } from "../../namespace/scope.js";
import type { MemoryEvent, SubscribeOptions, Subscription } from "../backend.js";

/** One change to append, in the same transaction as the change itself. */
export interface PendingEvent {
  namespace: string;
  type: MemoryEvent["type"];
  memoryId: string;
  kind: string;
  at: number;
}

interface EventRow {
  seq: number;
  namespace: string;
  type: MemoryEvent["type"];
  memory_id: string;
  kind: string;
  at: number;
}

/** Appends events and trims the log to its newest `keep` entries. Call inside a transaction. */
export function appendEvents(
  db: DatabaseSync,
  events: readonly PendingEvent[],
  keep: number,
): void {
  if (events.length === 0) return;
  const insert = db.prepare(
    "INSERT INTO events (namespace, type, memory_id, kind, at) VALUES (?, ?, ?, ?, ?)",
  );
  let last = 0;
  for (const event of events) {
    last = Number(
      insert.run(event.namespace, event.type, event.memoryId, event.kind, event.at).lastInsertRowid,
    );
  }
  db.prepare("DELETE FROM events WHERE seq <= ?").run(last - keep);
}

function toEvent(row: EventRow): MemoryEvent {
  return {
    id: String(row.seq),
    type: row.type,
    memoryId: row.memory_id,
    namespace: decodeNamespace(row.namespace),
    kind: row.kind,
    at: new Date(row.at),
  };
}

function parseSince(since: string): number {
  if (!/^\d{1,15}$/.test(since)) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      `since must be an event id from this store; got ${JSON.stringify(since)}.`,
      {
        details: { issues: [{ path: ["since"], message: "not an event id" }] },
      },
    );
  }
  return Number(since);
}

export interface PollingSubscriptionOptions extends SubscribeOptions {
  db: () => DatabaseSync;
  pollMs: number;
}

/**
 * Follows the event log by polling: other processes' writes show up within `pollMs`; this
 * process's writes call `wake` and show up at once.
 */
export function pollEvents(
  scope: ResolvedScope,
  handler: (event: MemoryEvent) => void | Promise<void>,
  options: PollingSubscriptionOptions,
): Subscription & { wake(): void } {
  const db = options.db();
  let cursor: number;
  if (options.since === undefined) {
    cursor = (
      db.prepare("SELECT coalesce(max(seq), 0) AS seq FROM events").get() as { seq: number }
    ).seq;
  } else {
    cursor = parseSince(options.since);
    const oldest = db.prepare("SELECT min(seq) AS seq FROM events").get() as { seq: number | null };
    if (oldest.seq !== null && oldest.seq > cursor + 1) {
      throw new EngramError(
        "INVALID_ARGUMENT",
        `Events after ${options.since} have been trimmed from the log; resubscribe without since and re-read.`,
        { details: { since: options.since, oldest: String(oldest.seq) } },
      );
    }
  }
  const onError =
    options.onError ??
    ((error: unknown) => console.error("[engram] subscriber handler failed:", error));
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  // A wake-up during a drain means a write may have landed after the last read: read again.
  let again = false;

  async function drain(): Promise<void> {
    for (;;) {
      if (closed) return;
      const rows = options
        .db()
        .prepare(
          "SELECT seq, namespace, type, memory_id, kind, at FROM events WHERE seq > ? ORDER BY seq LIMIT 500",
        )
        .all(cursor) as unknown as EventRow[];
      for (const row of rows) {
        if (closed) return;
        cursor = row.seq;
        if (!scopeIncludes(scope, row.namespace)) continue;
        const event = toEvent(row);
        try {
          await handler(event);
        } catch (error) {
          onError(error, event);
        }
      }
      if (rows.length < 500) return;
    }
  }

  function schedule(delay: number): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
  }

  function tick(): void {
    if (running) return;
    running = drain()
      .catch((error: unknown) => {
        if (!closed) console.error("[engram] reading the event log failed:", error);
      })
      .finally(() => {
        running = undefined;
        schedule(again ? 0 : options.pollMs);
        again = false;
      });
  }

  schedule(0);
  return {
    wake() {
      if (running) again = true;
      else schedule(0);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
