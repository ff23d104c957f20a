import type { MemoryRecord } from "../../record/memory-record.js";
import type { Backend, ScoredMemory } from "../backend.js";
import type { sqliteKeywordSearch } from "./keyword-search.js";
import type { sqliteNearDuplicates } from "./near-duplicates.js";
import type { MemoryRow } from "./rows.js";
import { type candidateFields, hitsWithRecords } from "./search-hits.js";
import type { sqliteVectorCache } from "./vector-cache.js";
import type { SqlValue } from "./where.js";

/** What the searches need from the SQLite backend. */
export interface SearchParts {
  all<T>(sql: string, params?: SqlValue[]): T[];
  wrap<T>(what: string, work: () => T): T;
  vectorCache: ReturnType<typeof sqliteVectorCache>;
  keywordSearch: ReturnType<typeof sqliteKeywordSearch>;
  near: ReturnType<typeof sqliteNearDuplicates>;
  fields: ReturnType<typeof candidateFields>;
  /** Whole records by row id. */
  byRid(rids: number[]): Map<number, MemoryRecord>;
  /** A row as a record, with this process's held uses. */
  toRecord(row: MemoryRow): MemoryRecord;
}

type Searches = Pick<
  Backend,
  | "searchVector"
  | "findNearDuplicates"
  | "searchKeyword"
  | "vectorCandidates"
  | "vectorScores"
  | "keywordCandidates"
>;

/** The embedded store's searches: vectors and keywords in process, records from the file. */
export function sqliteSearches(parts: SearchParts): Searches {
  const { all, wrap, vectorCache, keywordSearch, near, fields, byRid, toRecord } = parts;
  return {
    async searchVector(selection, query, limit) {
      return wrap("search", () => {
        const best = vectorCache.search(selection, query, limit);
        const found = byRid(best.map((entry) => entry.item));
        return best.flatMap(({ score, item }): ScoredMemory[] => {
          const memory = found.get(item);
          return memory ? [{ memory, score }] : [];
        });
      });
    },

    async findNearDuplicates(probes, threshold, now) {
      return wrap("search", () => {
        const best = near.find(probes, threshold, now);
        const found = byRid(best.flatMap((entry) => (entry ? [entry.rid] : [])));
        return best.map((entry): ScoredMemory | undefined => {
          const memory = entry && found.get(entry.rid);
          return memory ? { memory, score: entry.score } : undefined;
        });
      });
    },

    async searchKeyword(selection, terms, limit) {
      if (terms.length === 0) return [];
      return wrap("search", () =>
        hitsWithRecords(all, keywordSearch(selection, terms, limit), toRecord),
      );
    },

    async vectorCandidates(selection, query, limit) {
      return wrap("search", () => fields.candidates(vectorCache.search(selection, query, limit)));
    },

    async vectorScores(_selection, ids, vector) {
      return wrap("search", () => {
        // Candidates just ranked are held with their rows; others are looked up.
        const unknown = ids.filter((id) => fields.ridOf(id) === undefined);
        const looked = new Map(
          unknown.length === 0
            ? []
            : all<{ id: string; rid: number }>(
                "SELECT id, rid FROM memories WHERE id IN (SELECT value FROM json_each(?))",
                [JSON.stringify(unknown)],
              ).map((row) => [row.id, row.rid]),
        );
        const rids = ids.map((id) => fields.ridOf(id) ?? looked.get(id));
        return vectorCache.similarities(rids, vector);
      });
    },

    async keywordCandidates(selection, terms, limit) {
      if (terms.length === 0) return [];
      return wrap("search", () => fields.candidates(keywordSearch(selection, terms, limit)));
    },
  };
}
