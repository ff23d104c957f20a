import type { Namespace } from "../namespace/namespace.js";
import type { ResolvedScope } from "../namespace/scope.js";
import type { MemoryRecord, StoredMemory } from "../record/memory-record.js";
import type { MetadataCondition } from "../retrieval/metadata-condition.js";
import type { ConversationStore } from "./conversation-store.js";

/** A filter in the form backends receive it: validated, dates as epoch milliseconds. */
export interface ResolvedFilter {
  kinds?: readonly string[] | undefined;
  /** Every one of these tags must be present. */
  tags?: readonly string[] | undefined;
  /** Top-level metadata fields that must equal these values. */
  metadata?: Readonly<Record<string, string | number | boolean | null>> | undefined;
  createdAfter?: number | undefined;
  createdBefore?: number | undefined;
  updatedAfter?: number | undefined;
  updatedBefore?: number | undefined;
  pinned?: boolean | undefined;
  /** Only memories with one of these keys. */
  keys?: readonly string[] | undefined;
  /** A condition on metadata with operators (`$gt`, `$in`, `$or`...), checked in process. */
  where?: MetadataCondition | undefined;
}

/** Which memories an operation reads: a scope, a filter, and the time that decides expiry. */
export interface Selection {
  scope: ResolvedScope;
  filter: ResolvedFilter;
  /** Memories whose `expiresAt` is at or before this instant do not exist. */
  now: number;
}

/** How many live memories of one kind one (encoded) namespace holds. */
export interface NamespaceKindCount {
  namespace: string;
  kind: string;
  count: number;
}

/** The model and vector length a store is bound to once it holds a vector. */
export interface EmbeddingSpace {
  model: string;
  dimensions: number;
}

/**
 * One atomic change. `created` says whether a put makes a new memory or replaces one, for the
 * change event the backend publishes with it.
 */
export type WriteOperation =
  | { type: "put"; memory: StoredMemory; created: boolean }
  | { type: "delete"; id: string }
  | { type: "history"; entry: HistoryEntry };

/** One recorded change to a memory: what it was before and after. */
export interface HistoryEntry {
  memoryId: string;
  namespace: Namespace;
  action: "created" | "updated" | "merged" | "deleted";
  /** The memory before the change; absent for `created`. */
  before: MemoryRecord | undefined;
  /** The memory after the change; absent for `deleted`. */
  after: MemoryRecord | undefined;
  at: Date;
  /** The conversation the change came from, when `ingest` made it. */
  source?: HistorySource | undefined;
}

/** Where a change came from: a thread and the messages that led to it. */
export interface HistorySource {
  /** The thread's namespace. */
  namespace: Namespace;
  threadId: string;
  messageIds: string[];
}

/** A change to one memory, as subscribers receive it. */
export interface MemoryEvent {
  /** Position in the durable log; pass it as `since` to resume right after this event. */
  id: string;
  type: "created" | "updated" | "deleted";
  memoryId: string;
  namespace: Namespace;
  kind: string;
  at: Date;
}

export interface SubscribeOptions {
  /** Deliver every event after this one first (from a previous `MemoryEvent.id`), then live ones. */
  since?: string | undefined;
  /** Called when the handler throws; delivery goes on. Defaults to logging. */
  onError?: ((error: unknown, event: MemoryEvent) => void) | undefined;
}

/** A live subscription; `close` stops delivery. */
export interface Subscription {
  close(): Promise<void>;
}

export interface ScoredMemory {
  memory: MemoryRecord;
  /** Vector search: cosine similarity in [-1, 1]. Keyword search: the raw BM25 score (higher is better). */
  score: number;
}

/**
 * A search hit as ranking reads it: the memory's id and score, and the fields that ranking,
 * neighbour context and time weighting read. A hybrid recall ranks hundreds of candidates to
 * return a page of them; a backend that would read every candidate's whole record gives these
 * instead, and core reads whole records for the page only.
 */
export interface SearchCandidate {
  id: string;
  /** As `ScoredMemory.score`. */
  score: number;
  /** The encoded namespace. */
  namespace: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  updatedAt: number;
  importance: number;
  pinned: boolean;
  accessCount: number;
  contentHash: string;
  /** The whole record, when the backend holds it without a read (the fields above are its own). */
  memory?: MemoryRecord | undefined;
}

/** A vector to find near duplicates of, in one exact (encoded) namespace. */
export interface NearProbe {
  namespace: string;
  vector: Float32Array;
}

/**
 * Storage for memories. Core validates everything before it reaches a backend, and does all
 * scoring, so each backend only stores, filters and finds candidates.
 */
export interface Backend {
  /** A short name for logs and stats: `"sqlite"`, `"redis"`. */
  readonly name: string;
  /** Threads, messages, working memory and ingest state, under the same namespaces. */
  readonly conversations: ConversationStore;
  /**
   * The encoded tenant of an encoded namespace, when this backend isolates tenants other than
   * by first segment (Redis' `tenantSegments`); without it, the first segment. `findVectors`
   * and the embedding caches are scoped by it.
   */
  readonly tenantOf?: (encodedNamespace: string) => string;
  /** Opens connections and creates schemas; safe to call more than once. */
  open(): Promise<void>;
  /** The embedding space this store is bound to, if it holds any vector yet. */
  embeddingSpace(): Promise<EmbeddingSpace | undefined>;
  /** Binds the store to a space, or throws `EMBEDDER_MISMATCH`/`DIMENSION_MISMATCH` if bound to another. */
  bindEmbeddingSpace(space: EmbeddingSpace): Promise<void>;
  /** Applies every operation or none. */
  write(operations: readonly WriteOperation[]): Promise<void>;
  /** Live (unexpired) memories by id, in the order asked; missing ones are `undefined`. */
  get(ids: readonly string[], now: number): Promise<(MemoryRecord | undefined)[]>;
  /**
   * The stored vectors of live memories by id, in the order asked; `undefined` for a missing
   * or expired one, or one stored without a vector.
   */
  getVectors(ids: readonly string[], now: number): Promise<(Float32Array | undefined)[]>;
  /** The live memory with this key in this exact (encoded) namespace. */
  getByKey(namespace: string, key: string, now: number): Promise<MemoryRecord | undefined>;
  /** Live memories in this exact (encoded) namespace whose content has one of these hashes. */
  findByContentHash(
    namespace: string,
    contentHashes: readonly string[],
    now: number,
  ): Promise<MemoryRecord[]>;
  /** Records that memories were recalled: sets lastAccessedAt, adds 1 to accessCount. No event. */
  touch(ids: readonly string[], at: number): Promise<void>;
  /** The recorded changes of one memory, oldest first; kept after the memory is deleted. */
  history(id: string): Promise<HistoryEntry[]>;
  /**
   * Vectors already stored for these content hashes under this model, among the memories of
   * `tenant` (an encoded tenant, see `tenantOf`) only, so reuse never reveals other tenants.
   */
  findVectors(
    model: string,
    contentHashes: readonly string[],
    tenant: string,
  ): Promise<Map<string, Float32Array>>;
  /** Newest first (by id), strictly older than `before` when given. */
  list(
    selection: Selection,
    options: { limit: number; before?: string | undefined },
  ): Promise<MemoryRecord[]>;
  /** The `limit` nearest memories to a unit vector, best first. */
  searchVector(selection: Selection, vector: Float32Array, limit: number): Promise<ScoredMemory[]>;
  /**
   * For each probe, the live memory in its namespace most similar to its vector with a cosine
   * of at least `threshold`, if any. Candidates come from an LSH band index, so a pair at the
   * threshold is missed with a small probability (`missProbability` in retrieval/lsh-signature).
   */
  findNearDuplicates(
    probes: readonly NearProbe[],
    threshold: number,
    now: number,
  ): Promise<(ScoredMemory | undefined)[]>;
  /** The `limit` best keyword matches, best first. */
  searchKeyword(
    selection: Selection,
    terms: readonly string[],
    limit: number,
  ): Promise<ScoredMemory[]>;
  /**
   * `searchVector`'s hits as candidates, for a hybrid recall's pool: the same memories and
   * scores in the same order, without reading whole records (see `SearchCandidate`). A backend may
   * answer from what it holds in process for the scope. Optional: without it, core uses
   * `searchVector`.
   */
  vectorCandidates?(
    selection: Selection,
    vector: Float32Array,
    limit: number,
  ): Promise<SearchCandidate[]>;
  /**
   * The exact similarity (cosine, as `searchVector` scores) of each listed memory of the
   * selection's scope to `vector`, in the order asked; `undefined` for one without a vector or
   * not found. Hybrid recall scores the keyword leg's candidates the vector leg did not bring.
   * Optional: without it, core reads them with `getVectors`. A backend that holds the scope's
   * vectors in process answers without a read.
   */
  vectorScores?(
    selection: Selection,
    ids: readonly string[],
    vector: Float32Array,
  ): Promise<(number | undefined)[]>;
  /** `searchKeyword`'s hits as candidates, as `vectorCandidates` is to `searchVector`. Optional. */
  keywordCandidates?(
    selection: Selection,
    terms: readonly string[],
    limit: number,
  ): Promise<SearchCandidate[]>;
  /**
   * Live memories matching the selection, counted by namespace and kind. Optional: without it,
   * core counts through `list`, page by page.
   */
  countNamespaces?(selection: Selection): Promise<NamespaceKindCount[]>;
  /** Ids of every live memory matching the selection. */
  selectIds(selection: Selection): Promise<string[]>;
  /**
   * The encoded namespaces holding at least one memory, sorted. A memory past its expiry may
   * still count until it is pruned.
   */
  namespaces(): Promise<string[]>;
  /** Deletes every memory in the encoded subtree, and their history; returns how many memories. */
  deleteSubtree(prefix: string): Promise<number>;
  /**
   * Delivers change events for memories in the scope, in order, each once. Every write and
   * delete appends its events atomically with the change itself.
   */
  subscribe(
    scope: ResolvedScope,
    handler: (event: MemoryEvent) => void | Promise<void>,
    options: SubscribeOptions,
  ): Promise<Subscription>;
  /** Releases what the backend opened, subscriptions included. */
  close(): Promise<void>;
}
