import type { StatementSync } from "node:sqlite";
import { encodeNamespace } from "../../namespace/namespace.js";
import { serializeRecord } from "../../record/serialize.js";
import { vectorToBytes } from "../../retrieval/vector-math.js";
import type { WriteOperation } from "../backend.js";
import type { PendingEvent } from "./event-log.js";
import { type ChangedRow, SIGNATURE_UPSERT_SQL } from "./near-duplicates.js";
import { recordToParams, UPSERT_SQL, VECTOR_UPSERT_SQL } from "./rows.js";
import type { SqlValue } from "./where.js";

/** What applying operations needs from the backend, inside its open write transaction. */
export interface OperationAccess {
  all<T>(sql: string, params?: SqlValue[]): T[];
  statement(sql: string): StatementSync;
  near: { signatureBytes(vector: Float32Array): Uint8Array };
}

/**
 * Applies puts, deletes and history entries in order, inside the caller's transaction. Rows
 * whose vectors changed are added to `changed`; returns the change events to log.
 */
export function applyOperations(
  access: OperationAccess,
  operations: readonly WriteOperation[],
  changed: ChangedRow[],
): PendingEvent[] {
  const { all, statement, near } = access;
  const events: PendingEvent[] = [];
  for (const operation of operations) {
    if (operation.type === "history") {
      const { entry } = operation;
      statement(
        "INSERT INTO history (memory_id, namespace, action, before, after, at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(
        entry.memoryId,
        encodeNamespace(entry.namespace),
        entry.action,
        entry.before ? serializeRecord(entry.before) : null,
        entry.after ? serializeRecord(entry.after) : null,
        entry.at.getTime(),
        entry.source ? JSON.stringify(entry.source) : null,
      );
      continue;
    }
    if (operation.type === "delete") {
      for (const row of all<{ rid: number; namespace: string; kind: string }>(
        "DELETE FROM memories WHERE id = ? RETURNING rid, namespace, kind",
        [operation.id],
      )) {
        changed.push({ rid: row.rid, vector: undefined });
        events.push({
          type: "deleted",
          memoryId: operation.id,
          namespace: row.namespace,
          kind: row.kind,
          at: Date.now(),
        });
      }
      continue;
    }
    const { memory } = operation;
    const namespace = encodeNamespace(memory.namespace);
    const row = statement(UPSERT_SQL).get(...recordToParams(memory, namespace)) as {
      rid: number;
    };
    statement(VECTOR_UPSERT_SQL).run(row.rid, vectorToBytes(memory.vector));
    statement(SIGNATURE_UPSERT_SQL).run(row.rid, near.signatureBytes(memory.vector));
    changed.push({ rid: row.rid, vector: memory.vector, namespace, memory });
    events.push({
      type: operation.created ? "created" : "updated",
      memoryId: memory.id,
      namespace,
      kind: memory.kind,
      at: memory.updatedAt.getTime(),
    });
  }
  return events;
}
