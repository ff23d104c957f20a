// Pure builders for RediSearch 2.6 commands (HASH indexes, DIALECT 2, RESP2 replies).
// Nothing here talks to Redis, so the exact arguments are pinned by unit tests.
import type { ResolvedScope } from "../../namespace/scope.js";
import type { ResolvedFilter } from "../backend.js";

/** How the HNSW graph is built and searched. */
export interface HnswOptions {
  /** Edges per node; default 16. */
  m: number;
  /** Candidate list while building; default 200. */
  efConstruction: number;
  /** Candidate list while searching; higher trades speed for recall. Default 64. */
  efRuntime: number;
}

export const DEFAULT_HNSW: HnswOptions = { m: 16, efConstruction: 200, efRuntime: 64 };

export interface SearchIndex {
  /** The index name: one per store prefix and embedding model. */
  name: string;
  /** The key prefix of the memory hashes it covers. */
  keyPrefix: string;
  dimensions: number;
  hnsw: HnswOptions;
}

/** Name of the KNN distance in replies (cosine distance, 1 - similarity). */
export const DISTANCE_FIELD = "__distance";

// RediSearch's query syntax gives meaning to ASCII punctuation and whitespace; a backslash
// makes each one a literal. Letters and digits (including non-ASCII ones) need no escape.
const SPECIAL = /[\s!-/:-@[-^`{-~]/g;

/** A TAG or TEXT value as a literal: it can never close a `{...}` or start an operator. */
export function escapeQueryValue(value: string): string {
  return value.replace(SPECIAL, (character) => `\\${character}`);
}

function integer(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${what} must be a positive integer`);
  return String(value);
}

function instant(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError("a time bound must be a finite number");
  return String(value);
}

function tagClause(field: string, values: readonly string[]): string {
  return `@${field}:{${values.map(escapeQueryValue).join(" | ")}}`;
}

/** FT.CREATE for one store: the fields of the record hash that queries filter on. */
export function createIndexArguments(index: SearchIndex): string[] {
  const { hnsw } = index;
  return [
    "FT.CREATE",
    index.name,
    "ON",
    "HASH",
    "PREFIX",
    "1",
    index.keyPrefix,
    // Core drops its own stop words before querying; the index must keep every word.
    "STOPWORDS",
    "0",
    "SCHEMA",
    "namespace",
    "TAG",
    "CASESENSITIVE",
    "ancestors",
    "TAG",
    "CASESENSITIVE",
    "kind",
    "TAG",
    "CASESENSITIVE",
    "tagset",
    "TAG",
    "CASESENSITIVE",
    "key",
    "TAG",
    "CASESENSITIVE",
    "pinned",
    "TAG",
    // Core's own Porter stems of the content (see record-hash.ts): keyword candidates match
    // exactly the words plain mode and SQLite match. No TEXT field: BM25 is computed in
    // process from the scope's own statistics, so RediSearch's index-wide ones are unused.
    "terms",
    "TAG",
    "CASESENSITIVE",
    "createdAt",
    "NUMERIC",
    "updatedAt",
    "NUMERIC",
    "expiresAt",
    "NUMERIC",
    "importance",
    "NUMERIC",
    "vector",
    "VECTOR",
    "HNSW",
    "12",
    "TYPE",
    "FLOAT32",
    "DIM",
    integer(index.dimensions, "dimensions"),
    "DISTANCE_METRIC",
    "COSINE",
    "M",
    integer(hnsw.m, "M"),
    "EF_CONSTRUCTION",
    integer(hnsw.efConstruction, "EF_CONSTRUCTION"),
    "EF_RUNTIME",
    integer(hnsw.efRuntime, "EF_RUNTIME"),
  ];
}

/** Whether the index can apply the whole filter; metadata is not indexed, so it cannot. */
export function indexCanFilter(filter: ResolvedFilter): boolean {
  return filter.metadata === undefined || Object.keys(filter.metadata).length === 0;
}

/**
 * The prefilter for a selection: scope, filter and expiry, as one parenthesised query. A
 * memory without `expiresAt` has no value in that field, so the expiry clause is a negation.
 */
export function filterQuery(scope: ResolvedScope, filter: ResolvedFilter, now: number): string {
  const where: string[] = [];
  if (scope.exact.length > 0) where.push(tagClause("namespace", scope.exact));
  if (scope.prefixes.length > 0) where.push(tagClause("ancestors", scope.prefixes));
  if (where.length === 0) throw new RangeError("a scope needs a namespace or a prefix");
  const parts = [where.length === 1 ? where[0]! : `(${where.join(" | ")})`];
  if (filter.kinds && filter.kinds.length > 0) parts.push(tagClause("kind", filter.kinds));
  for (const tag of filter.tags ?? []) parts.push(tagClause("tagset", [tag]));
  if (filter.pinned !== undefined) parts.push(`@pinned:{${filter.pinned ? "1" : "0"}}`);
  const range = (field: string, after: number | undefined, before: number | undefined) => {
    if (after === undefined && before === undefined) return;
    const low = after === undefined ? "-inf" : `(${instant(after)}`;
    const high = before === undefined ? "+inf" : `(${instant(before)}`;
    parts.push(`@${field}:[${low} ${high}]`);
  };
  range("createdAt", filter.createdAfter, filter.createdBefore);
  range("updatedAt", filter.updatedAfter, filter.updatedBefore);
  parts.push(`-@expiresAt:[-inf ${instant(now)}]`);
  return `(${parts.join(" ")})`;
}

/**
 * FT.SEARCH for the `limit` nearest vectors within the prefilter, nearest first. Only the
 * distance comes back: records come from the scope cache, and RediSearch loading every field
 * of every hit costs more than the search itself.
 */
export function vectorSearchArguments(
  index: SearchIndex,
  prefilter: string,
  vector: Buffer,
  limit: number,
): (string | Buffer)[] {
  const k = integer(limit, "limit");
  // The candidate list must hold at least k entries, or HNSW returns fewer than asked.
  const ef = Math.max(index.hnsw.efRuntime, limit);
  return [
    "FT.SEARCH",
    index.name,
    `${prefilter}=>[KNN ${k} @vector $vector EF_RUNTIME ${integer(ef, "EF_RUNTIME")} AS ${DISTANCE_FIELD}]`,
    "PARAMS",
    "2",
    "vector",
    vector,
    "SORTBY",
    DISTANCE_FIELD,
    "ASC",
    "RETURN",
    "1",
    DISTANCE_FIELD,
    "LIMIT",
    "0",
    k,
    "DIALECT",
    "2",
  ];
}

/** How many keyword candidates one FT.SEARCH page brings; later pages follow if needed. */
export const KEYWORD_PAGE = 10_000;

/**
 * FT.SEARCH for the ids of every memory within the prefilter holding any of the stems: the
 * candidates of an in-process BM25. One page of `KEYWORD_PAGE`, from `offset`.
 */
export function keywordSearchArguments(
  index: SearchIndex,
  prefilter: string,
  stems: readonly string[],
  offset = 0,
): string[] {
  if (stems.length === 0) throw new RangeError("a keyword search needs at least one term");
  return [
    "FT.SEARCH",
    index.name,
    `${prefilter} ${tagClause("terms", stems)}`,
    "NOCONTENT",
    "LIMIT",
    String(offset),
    String(KEYWORD_PAGE),
    "DIALECT",
    "2",
  ];
}

/** FT.SEARCH that only counts: whether the index holds any document of the vector's size. */
export function probeVectorArguments(index: SearchIndex, vector: Buffer): (string | Buffer)[] {
  return [
    "FT.SEARCH",
    index.name,
    `*=>[KNN 1 @vector $vector AS ${DISTANCE_FIELD}]`,
    "PARAMS",
    "2",
    "vector",
    vector,
    "LIMIT",
    "0",
    "0",
    "DIALECT",
    "2",
  ];
}

/** One document of a RESP2 FT.SEARCH reply. */
export interface SearchHit {
  key: string;
  fields: Map<string, Buffer | string>;
}

/** Reads a RESP2 FT.SEARCH reply: `[total, key, [field, value, ...], ...]`. */
export function parseSearchReply(reply: unknown): SearchHit[] {
  if (!Array.isArray(reply))
    throw new TypeError("FT.SEARCH replied with something other than an array");
  const hits: SearchHit[] = [];
  for (let i = 1; i + 1 < reply.length; i += 2) {
    const key = String(reply[i]);
    const pairs = (reply[i + 1] ?? []) as (Buffer | string)[];
    const fields = new Map<string, Buffer | string>();
    for (let j = 0; j + 1 < pairs.length; j += 2) fields.set(String(pairs[j]), pairs[j + 1]!);
    hits.push({ key, fields });
  }
  return hits;
}

/** Reads a RESP2 FT.SEARCH NOCONTENT reply: the total, then the keys. */
export function parseKeysReply(reply: unknown): { total: number; keys: string[] } {
  if (!Array.isArray(reply))
    throw new TypeError("FT.SEARCH replied with something other than an array");
  return { total: Number(reply[0]), keys: reply.slice(1).map(String) };
}
