import type { Namespace, Scope } from "../namespace/index.js";
import type { JsonObject, MemoryKind, MemoryRecord } from "../record/memory-record.js";
import type { MetadataCondition } from "../retrieval/metadata-condition.js";

/** A date as a `Date`, epoch milliseconds or an ISO-8601 string. */
export type Instant = Date | number | string;

/** What to remember. Only `namespace` and `content` are required. */
export interface RememberInput {
  namespace: Namespace;
  content: string;
  /** Defaults to `"fact"`. */
  kind?: MemoryKind;
  /** Remembering the same key in the same namespace again updates that memory in place. */
  key?: string;
  metadata?: JsonObject;
  tags?: string[];
  /** 0..1, default 0.5. */
  importance?: number;
  pinned?: boolean;
  /** After this instant the memory no longer exists. */
  expiresAt?: Instant;
  /** Lifetime in milliseconds from now; an alternative to `expiresAt`. */
  ttlMs?: number;
  /**
   * When what the memory records happened, for history imported after the fact (a conversation's
   * session date): becomes `createdAt`, which time filters and time-aware recall read. Not in the
   * future; default now. An update in place keeps the memory's first `createdAt`.
   */
  createdAt?: Instant;
  /**
   * The content's embedding, when the caller made it (a vector store adapter): stored as given
   * (normalised) instead of embedding `content`. Its length must match the store's dimensions.
   */
  vector?: number[];
}

/** What `remember` did with one input. */
export interface RememberResult {
  /**
   * `created`: a new memory. `updated`: an existing one replaced (same key, or a duplicate under
   * the `update` policy). `merged`: a duplicate combined into an existing one. `skipped`: a
   * duplicate, or a keyed memory remembered again exactly as stored, that changed nothing.
   * `id` is always the memory that holds the content now.
   */
  status: "created" | "updated" | "merged" | "skipped";
  id: string;
  memory: MemoryRecord;
}

/** Narrows a read to some memories within its scope. All given conditions must hold. */
export interface MemoryFilter {
  kinds?: MemoryKind[];
  /** Every one of these tags must be present. */
  tags?: string[];
  /** Top-level metadata fields that must equal these values. */
  metadata?: Record<string, string | number | boolean | null>;
  createdAfter?: Instant;
  createdBefore?: Instant;
  updatedAfter?: Instant;
  updatedBefore?: Instant;
  pinned?: boolean;
  /** Only memories with one of these keys. */
  keys?: string[];
  /** A condition on metadata with operators, e.g. `{ year: { $gte: 2020 }, $or: [...] }`. */
  where?: MetadataCondition;
}

/** How recall ranks: by meaning, by words (BM25), or both fused. */
export type RecallMode = "semantic" | "keyword" | "hybrid";

export interface RecallOptions extends Scope, MemoryFilter {
  /** The question. Optional when `vector` is given (then the search is by that vector only). */
  query?: string;
  /** A query embedding made by the caller, used instead of embedding `query`. */
  vector?: number[];
  /** 1..100, default 10. */
  limit?: number;
  /**
   * Skip this many of the best results first (0..900, default 0), for pages: only the page
   * returned counts as used.
   */
  offset?: number;
  /** Drop results scoring below this (0..1). */
  minScore?: number;
  /** Default `"hybrid"`. */
  mode?: RecallMode;
  /** Adds `explain` to each result: the score components behind its `score`. */
  explain?: boolean;
  /** Let newer memories rank higher (default `true`); `false` for archive-style questions. */
  recency?: boolean;
  /**
   * Hybrid mode: let a memory written next to a strong match (the same namespace, adjacent in
   * time) rise towards it, as a conversation turn's neighbours often hold the evidence (default
   * `true`; the strength is `ranking.neighbourWeight`).
   */
  neighbours?: boolean;
  /**
   * Time-aware recall: when the query asks "when" or names a period ("in May 2023", "last
   * week"), memories that fit it rank higher: ones whose content places something in time, and
   * ones created within the period (default `true`; the strength is `ranking.timeWeight`).
   */
  time?: boolean;
  /**
   * `false`: order by relevance alone (raw similarity for semantic recall), without the
   * recency, importance, pinning and use signals, the neighbour lift or time. Default `true`.
   */
  ranking?: boolean;
  /** `false`: leave `lastAccessedAt` and `accessCount` as they are. Default `true`. */
  recordAccess?: boolean;
}

/** Why a memory was recalled: each component in [0, 1]; absent when not used for the ranking. */
export interface ScoreExplanation {
  /** Meaning match: cosine similarity floored at 0. */
  semantic?: number;
  /**
   * Word match: in keyword mode BM25 mapped into [0, 1); in hybrid mode BM25 divided by the
   * query's best BM25 score.
   */
  keyword?: number;
  /** Hybrid mode: how much a more relevant neighbour raised the fused score (in `relevance`). */
  neighbour?: number;
  /** How well the memory fits the time the query asks about (see `RecallOptions.time`). */
  time?: number;
  /** The relevance before ranking signals: the semantic, keyword or fused score. */
  relevance?: number;
  /** Freshness: 1 now, halving every half-life since the last update; absent when off. */
  recency?: number;
  importance?: number;
  /** 1 for a pinned memory. */
  pinned?: number;
  /** How often the memory has been recalled, saturating at 100 recalls. */
  access?: number;
}

/** A recalled memory with its relevance: `score` is in [0, 1], higher is better. */
export type RecalledMemory = MemoryRecord & { score: number; explain?: ScoreExplanation };

export interface ListOptions extends Scope, MemoryFilter {
  /** 1..1000, default 50. */
  limit?: number;
  /** `nextCursor` from the previous page. */
  cursor?: string;
}

/** One page of `list`, newest first. */
export interface MemoryPage {
  memories: MemoryRecord[];
  /** Pass to `list` for the next page; absent on the last page. */
  nextCursor: string | undefined;
}

/** Fields `update` may change. `null` clears an optional field. The namespace never changes. */
export interface MemoryPatch {
  content?: string;
  kind?: MemoryKind;
  key?: string | null;
  /** Replaces the metadata object as a whole. */
  metadata?: JsonObject;
  tags?: string[];
  importance?: number;
  pinned?: boolean;
  expiresAt?: Instant | null;
}

/** Which memories `forget` removes when given a filter rather than ids. */
export interface ForgetFilter extends Scope, MemoryFilter {}
