import type { StatementSync } from "node:sqlite";
import { type ResolvedScope, scopeIncludes } from "../../namespace/scope.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { bm25DocumentCache } from "../../retrieval/bm25.js";
import { KeywordIndex } from "../../retrieval/keyword-index.js";
import type { CandidateRow } from "./search-hits.js";

/** What the keyword cache needs from the backend. */
export interface KeywordCacheAccess {
  statement(sql: string): StatementSync;
  /**
   * Called as a scan of every row begins; each row scanned then goes to the function it returns
   * (the candidate fields held, see `candidateFields`).
   */
  scanning?: () => (row: CandidateRow) => void;
}

/** A row written by this process: its record and encoded namespace, or neither if deleted. */
export interface KeywordChange {
  rid: number;
  namespace?: string | undefined;
  memory?: MemoryRecord | undefined;
}

interface IndexRow {
  rid: number;
  namespace: string;
  kind: string;
  expires_at: number | null;
  content_hash: string;
}

/** The scan's columns: the index's, and the candidate fields' (`CANDIDATE_COLUMNS`). */
type ScannedRow = IndexRow & CandidateRow;

const CONTENT_BATCH = 2_000;

/**
 * Every memory of the file in a `KeywordIndex` (one partition per namespace), built on the
 * first keyword search and valid while meta's vectors_version holds the value last seen, as the
 * vector cache is. A process patches it with its own writes; after another process's writes it
 * is brought up to date from a scan of the rows' hashes, re-reading only changed contents.
 */
export function sqliteKeywordCache(access: KeywordCacheAccess) {
  const { statement } = access;
  const prepare = bm25DocumentCache();
  let index: KeywordIndex<number> | undefined;
  let version: string | undefined;
  // Per rid, what the index holds for it: namespace, kind, expiry and content hash.
  const held = new Map<number, string>();

  function signature(row: IndexRow): string {
    return `${row.namespace}\u0000${row.kind}\u0000${row.expires_at}\u0000${row.content_hash}`;
  }

  function put(row: IndexRow, content?: string): boolean {
    const document =
      content === undefined
        ? prepare(row.rid, row.content_hash)
        : prepare(row.rid, row.content_hash, content);
    if (!document) return false;
    index!.set(
      row.namespace,
      row.rid,
      document,
      row.kind,
      row.expires_at ?? Number.POSITIVE_INFINITY,
    );
    held.set(row.rid, signature(row));
    return true;
  }

  function refresh(): KeywordIndex<number> {
    const row = statement("SELECT value FROM meta WHERE key = 'vectors_version'").get() as
      | { value: string }
      | undefined;
    if (index && version !== undefined && row?.value === version) return index;
    // Version first, rows after: the rows are at least as new as the version kept.
    version = row?.value;
    index ??= new KeywordIndex();
    const seen = new Set<number>();
    const unknown: IndexRow[] = [];
    const scanned = access.scanning?.();
    for (const each of statement(
      "SELECT rid, id, namespace, kind, expires_at, content_hash, importance, pinned, " +
        "created_at, updated_at, access_count FROM memories ORDER BY rid",
    ).iterate() as Iterable<ScannedRow>) {
      seen.add(each.rid);
      scanned?.(each);
      if (held.get(each.rid) === signature(each)) continue;
      if (!put(each)) unknown.push(each);
    }
    for (const rid of [...held.keys()]) {
      if (seen.has(rid)) continue;
      index.delete(rid);
      held.delete(rid);
    }
    for (let start = 0; start < unknown.length; start += CONTENT_BATCH) {
      const batch = unknown.slice(start, start + CONTENT_BATCH);
      const texts = new Map(
        (
          statement(
            "SELECT rid, content FROM memories WHERE rid IN (SELECT value FROM json_each(?))",
          ).all(JSON.stringify(batch.map((each) => each.rid))) as { rid: number; content: string }[]
        ).map((each) => [each.rid, each.content]),
      );
      for (const each of batch) {
        const content = texts.get(each.rid);
        // Deleted since the scan: the next version change removes it from `held` too.
        if (content !== undefined) put(each, content);
      }
    }
    return index;
  }

  return {
    /** The `limit` best BM25 matches in scope among memories of these kinds, live at `now`. */
    search(
      scope: ResolvedScope,
      terms: readonly string[],
      limit: number,
      kinds: readonly string[] | undefined,
      now: number,
    ): { item: number; score: number }[] {
      const current = refresh();
      return current.search(
        current.namespaces().filter((namespace) => scopeIncludes(scope, namespace)),
        terms,
        limit,
        { kinds, now },
      );
    },

    /**
     * After our own committed write moved vectors_version to `next`: if nobody else wrote in
     * between, patch the index; otherwise the next search brings it up to date.
     */
    afterOwnWrite(next: string, changed: readonly KeywordChange[]): void {
      if (!index || version === undefined || Number(next) !== Number(version) + 1) {
        version = undefined;
        return;
      }
      for (const { rid, namespace, memory } of changed) {
        if (!memory || namespace === undefined) {
          index.delete(rid);
          held.delete(rid);
          continue;
        }
        put(
          {
            rid,
            namespace,
            kind: memory.kind,
            expires_at: memory.expiresAt?.getTime() ?? null,
            content_hash: memory.contentHash,
          },
          memory.content,
        );
      }
      version = next;
    },

    clear(): void {
      index = undefined;
      version = undefined;
      held.clear();
    },
  };
}
