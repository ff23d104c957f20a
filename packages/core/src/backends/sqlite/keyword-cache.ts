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

/** The scan's columns: the index's, the candidate fields' (`CANDIDATE_COLUMNS`), the content. */
type ScannedRow = IndexRow & CandidateRow & { content?: string };

const CONTENT_BATCH = 2_000;
/** Rows per read of `scannedRows`. */
const SCAN_CHUNK = 4_096;
const SCAN_COLUMNS = [
  "rid",
  "id",
  "namespace",
  "kind",
  "expires_at",
  "content_hash",
  "importance",
  "pinned",
  "created_at",
  "updated_at",
  "access_count",
] as const;

/**
 * Every memory's scanned columns (and content, with `withContent`), in rid order, read a chunk
 * of rows at a time, each chunk as one row of JSON arrays: a row object per memory from
 * node:sqlite made reading 100k memories most of a first keyword search's time. The chunks are
 * separate reads, as in the vector cache: a write that lands between two moves vectors_version,
 * and the next search scans again. Needs SQLite's JSON to print doubles exactly (importance);
 * where it does not, rows are read one at a time.
 */
function* scannedRows(
  statement: (sql: string) => StatementSync,
  withContent: boolean,
): Generator<ScannedRow> {
  const columns = withContent ? [...SCAN_COLUMNS, "content"] : [...SCAN_COLUMNS];
  if (!jsonKeepsDoubles(statement)) {
    yield* statement(
      `SELECT ${columns.join(", ")} FROM memories ORDER BY rid`,
    ).iterate() as Iterable<ScannedRow>;
    return;
  }
  const chunk = statement(
    `SELECT ${columns.map((column) => `json_group_array(${column}) AS ${column}`).join(", ")}
     FROM (SELECT ${columns.join(", ")} FROM memories WHERE rid > ? ORDER BY rid LIMIT ${SCAN_CHUNK})`,
  );
  for (let after = -1; ; ) {
    const read = chunk.get(after) as Record<string, string>;
    const [rid, id, namespace, kind, expiry, hash, importance, pinned, created, updated, uses] =
      SCAN_COLUMNS.map((column) => JSON.parse(read[column]!) as unknown[]) as [
        number[],
        string[],
        string[],
        string[],
        (number | null)[],
        string[],
        number[],
        number[],
        number[],
        number[],
        number[],
      ];
    const contents = withContent ? (JSON.parse(read.content!) as string[]) : undefined;
    if (rid.length === 0) return;
    for (let i = 0; i < rid.length; i++)
      yield {
        rid: rid[i]!,
        id: id[i]!,
        namespace: namespace[i]!,
        kind: kind[i]!,
        expires_at: expiry[i]!,
        content_hash: hash[i]!,
        importance: importance[i]!,
        pinned: pinned[i]!,
        created_at: created[i]!,
        updated_at: updated[i]!,
        access_count: uses[i]!,
        content: contents?.[i],
      };
    after = rid[rid.length - 1]!;
  }
}

// Whether json_group_array prints a double so that parsing it gives the same double back
// (the SQLite in Node 24, 3.53, does; one that printed fewer digits would round importance).
function jsonKeepsDoubles(statement: (sql: string) => StatementSync): boolean {
  const values = [1 / 3, 0.1 + 0.2, (2 / 3) * 1e-7];
  const row = statement("SELECT json_array(?, ?, ?) AS printed").get(...values) as {
    printed: string;
  };
  const parsed = JSON.parse(row.printed) as number[];
  return values.every((value, at) => parsed[at] === value);
}

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
    // A first build knows no memory's terms: read the contents in the same scan.
    const cold = held.size === 0;
    for (const each of scannedRows(statement, cold)) {
      seen.add(each.rid);
      scanned?.(each);
      if (held.get(each.rid) === signature(each)) continue;
      if (!put(each, each.content)) unknown.push(each);
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
