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
  /**
   * Candidate list while searching; higher trades speed for recall. Default 128: at 100,000
   * memories (384-d, M 16) a top-10 recall finds 0.988 of the true top 10 with it and 0.939
   * with 64, RediSearch's own default (`bench:redis`).
   */
  efRuntime: number;
}

export const DEFAULT_HNSW: HnswOptions = { m: 16, efConstruction: 200, efRuntime: 128 };

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

/**
 * FT.CREATE for one store: the fields of the record hash that queries filter on. With
 * `skipInitialScan` RediSearch indexes only hashes written from now on, instead of walking the
 * whole keyspace in the background (see `ensureSearchIndex`).
 */
export function createIndexArguments(index: SearchIndex, skipInitialScan = false): string[] {
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
    ...(skipInitialScan ? ["SKIPINITIALSCAN"] : []),
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
  if (filter.keys !== undefined || filter.where !== undefined) return false;
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
 * How a prefiltered KNN meets its prefilter. `auto`: RediSearch's own classifier picks between
 * walking the graph in batches and scoring every match by brute force. `batches`: walk the
 * graph, `batchSize` neighbours at a time, keeping those that match.
 */
export type KnnPolicy = { kind: "auto" } | { kind: "batches"; batchSize: number };

/**
 * The share of the index a scope must hold before its KNN walks the graph in batches, whatever
 * RediSearch's classifier says. Its tree (VecSim `preferAdHocSearch`) picks brute force for any
 * k above 12 on an index of 5,500 to 300,000 vectors, however large the share: at 100,000
 * memories a top-18 recall over one namespace holding all of them took 240 ms that way and
 * 0.6 ms in batches. Below this share brute force is the better choice, and the tree makes it.
 */
export const BATCHES_SHARE = 0.05;

/**
 * Below this many documents the classifier always picks brute force, which is exact and cheap
 * there: it decides. Above it, it still picks brute force for k above 12 up to 300,000
 * documents (at 10,000 memories in one namespace: 1.5 ms against 0.3 ms for raw KNN).
 */
export const BATCHES_MIN_INDEX = 5_500;

/**
 * The policy for a KNN of `k` over a scope of about `scopeSize` live memories in an index of
 * about `indexSize` documents (either unknown: RediSearch decides). A batch is sized so that,
 * memories in scope being spread through the graph, one batch is expected to hold `k` of them.
 * Only for a prefilter of scope and expiry alone: a filter narrows the share by an unknown
 * factor, and batches sized for the scope would miss (RediSearch's estimate includes it).
 */
export function knnPolicy(
  k: number,
  scopeSize: number | undefined,
  indexSize: number | undefined,
): KnnPolicy {
  if (scopeSize === undefined || indexSize === undefined || indexSize < BATCHES_MIN_INDEX)
    return { kind: "auto" };
  const share = Math.min(1, scopeSize / indexSize);
  if (share < BATCHES_SHARE) return { kind: "auto" };
  return { kind: "batches", batchSize: Math.min(Math.ceil(k / share), MAX_BATCH) };
}

const MAX_BATCH = 10_000;

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
  policy: KnnPolicy = { kind: "auto" },
): (string | Buffer)[] {
  const k = integer(limit, "limit");
  // The candidate list must hold at least k entries, or HNSW returns fewer than asked.
  const ef = Math.max(index.hnsw.efRuntime, limit);
  const hybrid =
    policy.kind === "batches"
      ? ` HYBRID_POLICY BATCHES BATCH_SIZE ${integer(policy.batchSize, "BATCH_SIZE")}`
      : "";
  return [
    "FT.SEARCH",
    index.name,
    `${prefilter}=>[KNN ${k} @vector $vector${hybrid} EF_RUNTIME ${integer(ef, "EF_RUNTIME")} AS ${DISTANCE_FIELD}]`,
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
