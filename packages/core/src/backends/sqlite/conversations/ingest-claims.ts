import type { IngestClaim } from "../../conversation-store.js";
import type { SqliteAccess } from "./access.js";

/**
 * The ingest lease of a thread: one owner at a time reads its new messages, so two ingests
 * never apply the same messages twice. A lease that expires (its owner died) can be taken over.
 */
export function sqliteIngestClaims(access: SqliteAccess) {
  const { all, run, transaction } = access;

  function claimIngest(
    namespace: string,
    threadId: string,
    owner: string,
    until: number,
    now: number,
  ): IngestClaim {
    return transaction((): IngestClaim => {
      const [claimed] = all<{ ingest_seq: number }>(
        `UPDATE threads SET ingest_owner = ?, ingest_until = ?
         WHERE namespace = ? AND id = ?
         AND (ingest_owner IS NULL OR ingest_owner = ? OR ingest_until <= ?)
         RETURNING ingest_seq`,
        [owner, until, namespace, threadId, owner, now],
      );
      if (claimed) return { status: "claimed", afterSeq: claimed.ingest_seq };
      const exists = all("SELECT 1 FROM threads WHERE namespace = ? AND id = ?", [
        namespace,
        threadId,
      ]);
      return exists.length > 0 ? { status: "busy" } : { status: "missing" };
    });
  }

  function advanceIngest(
    namespace: string,
    threadId: string,
    owner: string,
    throughSeq: number,
    until: number,
  ): boolean {
    return transaction(
      () =>
        run(
          `UPDATE threads SET ingest_seq = max(ingest_seq, ?), ingest_until = ?
           WHERE namespace = ? AND id = ? AND ingest_owner = ?`,
          [throughSeq, until, namespace, threadId, owner],
        ).changes > 0,
    );
  }

  function releaseIngest(namespace: string, threadId: string, owner: string): void {
    transaction(() =>
      run(
        `UPDATE threads SET ingest_owner = NULL, ingest_until = NULL
         WHERE namespace = ? AND id = ? AND ingest_owner = ?`,
        [namespace, threadId, owner],
      ),
    );
  }

  return { claimIngest, advanceIngest, releaseIngest };
}
