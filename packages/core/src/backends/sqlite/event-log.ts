import type { DatabaseSync } from "node:sqlite";
import { EngramError } from "../../errors/engram-error.js";
import { decodeNamespace, tenantOf } from "../../namespace/namespace.js";
import { type ResolvedScope, scopeIncludes } from "../../namespace/scope.js";
import type { MemoryEvent, SubscribeOptions, Subscription } from "../backend.js";
import { invalidSince } from "../event-cursor.js";

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
  const next = db.prepare(
    `INSERT INTO event_counters (tenant, seq) VALUES (?, 1)
     ON CONFLICT (tenant) DO UPDATE SET seq = seq + 1 RETURNING seq`,
  );
  const insert = db.prepare(
    "INSERT INTO events (namespace, type, memory_id, kind, at, tenant, tenant_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  let last = 0;
  for (const event of events) {
    const tenant = tenantOf(event.namespace);
    const { seq } = next.get(tenant) as { seq: number };
    last = Number(
      insert.run(event.namespace, event.type, event.memoryId, event.kind, event.at, tenant, seq)
        .lastInsertRowid,
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
  if (!/^\d{1,15}$/.test(since)) throw invalidSince(since);
  return Number(since);
}

/**
 * Where a subscription reads: one tenant's own numbering when its scope lies in one tenant (what
 * every tenant-rooted key sees), else the store-wide sequence (only an unrestricted caller can
 * span tenants).
 */
function numbering(scope: ResolvedScope) {
  const tenants = [...new Set([...scope.exact, ...scope.prefixes].map(tenantOf))];
  if (tenants.length === 1) {
    const tenant = tenants[0]!;
    return {
      column: "tenant_seq",
      where: "tenant = ? AND",
      params: [tenant],
      last: "SELECT coalesce(max(seq), 0) AS seq FROM event_counters WHERE tenant = ?",
      oldest: "SELECT min(tenant_seq) AS seq FROM events WHERE tenant = ?",
    };
  }
  return {
    column: "seq",
    where: "",
    params: [],
    last: "SELECT coalesce(max(seq), 0) AS seq FROM events",
    oldest: "SELECT min(seq) AS seq FROM events",
  };
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
  const log = numbering(scope);
  const last = (db.prepare(log.last).get(...log.params) as { seq: number }).seq;
  let cursor: number;
  if (options.since === undefined) {
    cursor = last;
  } else {
    cursor = parseSince(options.since);
    const oldest = db.prepare(log.oldest).get(...log.params) as { seq: number | null };
    if ((oldest.seq ?? last + 1) > cursor + 1) {
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
          `SELECT ${log.column} AS seq, namespace, type, memory_id, kind, at FROM events
           WHERE ${log.where} ${log.column} > ? ORDER BY ${log.column} LIMIT 500`,
        )
        .all(...log.params, cursor) as unknown as EventRow[];
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
