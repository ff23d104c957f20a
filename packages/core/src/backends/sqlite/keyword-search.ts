import { bm25, bm25DocumentCache } from "../../retrieval/bm25.js";
import type { Selection } from "../backend.js";
import { isEmptyFilter } from "../redis/exact-scan.js";
import type { sqliteKeywordCache } from "./keyword-cache.js";
import { type RowHits, rowsByRid } from "./search-hits.js";
import { matchExpression, type SqlValue, whereClause } from "./where.js";

/** What keyword search needs from the SQLite backend. */
export interface KeywordSearchAccess {
  all<T>(sql: string, params?: SqlValue[]): T[];
  /** The in-process index, for selections it can answer alone (scope, kinds, expiry). */
  cache: ReturnType<typeof sqliteKeywordCache>;
}

/**
 * BM25 over the memories of a selection: the best rows (rid and score). A selection of scope, kinds and expiry is answered by
 * the in-process keyword cache; for other filters, FTS5 finds every memory of the selection that holds a
 * term (its porter index stems as core does), and core scores them with the statistics of the
 * selection alone. FTS5's own `bm25()` would judge rarity across the whole file: a name that is
 * everywhere in one user's memories but rare in the file would then outweigh what the query is
 * about, and the embedded store would rank differently from plain Redis.
 */
export function sqliteKeywordSearch(access: KeywordSearchAccess) {
  // Tokenising and stemming is most of a search's cost, and a memory's terms only change with
  // its content.
  const prepare = bm25DocumentCache();
  return (selection: Selection, terms: readonly string[], limit: number): RowHits => {
    if (terms.length === 0) return [];
    const { kinds, ...rest } = selection.filter;
    if (isEmptyFilter(rest)) {
      return access.cache.search(selection.scope, terms, limit, kinds, selection.now);
    }
    const where = whereClause(selection);
    // Two JSON rows are far cheaper than a row object per match: a common word can match
    // every memory in scope.
    const [found] = access.all<{ rids: string; hashes: string }>(
      `SELECT json_group_array(m.rid) AS rids, json_group_array(m.content_hash) AS hashes
       FROM memories_fts JOIN memories m ON m.rid = memories_fts.rowid
       WHERE memories_fts MATCH ? AND ${where.sql}`,
      [matchExpression(terms), ...where.params],
    );
    const rids = JSON.parse(found?.rids ?? "[]") as number[];
    const hashes = JSON.parse(found?.hashes ?? "[]") as string[];
    const candidates = rids.map((rid, index) => ({ rid, hash: hashes[index]! }));
    if (candidates.length === 0) return [];
    const [{ size }] = access.all<{ size: number }>(
      `SELECT count(*) AS size FROM memories m WHERE ${where.sql}`,
      where.params,
    ) as [{ size: number }];
    // Contents are read only for memories whose terms are not known yet.
    const prepared = candidates.map((row) => prepare(row.rid, row.hash));
    const unknown = candidates.filter((_, index) => prepared[index] === undefined);
    if (unknown.length > 0) {
      const texts = new Map(
        rowsByRid<{ rid: number; content: string }>(
          access.all,
          "m.rid, m.content",
          unknown.map((row) => row.rid),
        ).map((row) => [row.rid, row.content]),
      );
      candidates.forEach((row, index) => {
        const text = prepared[index] ? undefined : texts.get(row.rid);
        if (text !== undefined) prepared[index] = prepare(row.rid, row.hash, text);
      });
    }
    // A memory deleted by another process between the two reads is left out.
    const documents = prepared.filter((document) => document !== undefined);
    return bm25(documents, terms, limit, size);
  };
}
