import type {
  Backend,
  HistoryEntry,
  MemoryEvent,
  SubscribeOptions,
  Subscription,
} from "../backends/backend.js";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import {
  createConversations,
  type Messages,
  type Threads,
  type WorkingMemories,
} from "../conversation/create-conversations.js";
import type { IngestOptions, IngestReport, ThreadAddress } from "../conversation/types.js";
import { type EmbedderSource, toEmbedder } from "../embedders/to-embedder.js";
import {
  type UniversalSentenceEncoder,
  universalSentenceEncoder,
} from "../embedders/universal-sentence-encoder.js";
import type { Namespace } from "../namespace/namespace.js";
import type { Scope } from "../namespace/scope.js";
import type { MemoryRecord } from "../record/memory-record.js";
import { DEFAULT_RANKING, type RankingOptions } from "../retrieval/ranking.js";
import {
  contextSpan,
  eraseSpan,
  ingestSpan,
  recallSpan,
  rememberSpan,
} from "../telemetry/operation-spans.js";
import { createTracing, type TelemetryOptions } from "../telemetry/tracing.js";
import type { AttachedStore, ErasureReport } from "./attached-store.js";
import { type ConsolidateOptions, type Consolidation, consolidate } from "./consolidate.js";
import { createContext, type MemoryLimits, type TtlByKind } from "./context.js";
import {
  buildContext,
  type ContextBlock,
  type ContextOptions,
  estimateTokens,
  type TokenCounter,
} from "./context-block.js";
import { count } from "./count.js";
import { countNamespaces, type NamespaceCount } from "./count-namespaces.js";
import type { DedupOptions } from "./deduplicate.js";
import { forget } from "./forget.js";
import { forgetNamespace } from "./forget-namespace.js";
import { get, type MemoryAddress } from "./get.js";
import { history } from "./history.js";
import { list } from "./list.js";
import { assertKnownOptions } from "./memory-options.js";
import { type NamespacesOptions, namespaces } from "./namespaces.js";
import { type PruneOptions, type PruneReport, prune } from "./prune.js";
import { recall } from "./recall.js";
import { remember } from "./remember.js";
import { type RestoreItem, type RestoreResult, restore } from "./restore.js";
import { type RetentionOptions, toRetentionPolicy } from "./retention.js";
import { subscribe } from "./subscribe.js";
import type {
  ForgetFilter,
  ListOptions,
  MemoryPage,
  MemoryPatch,
  RecalledMemory,
  RecallOptions,
  RememberInput,
  RememberResult,
} from "./types.js";
import { update } from "./update.js";
import { type MemoryVector, vectors } from "./vectors.js";

export interface MemoryOptions {
  /** Where memories live. Defaults to the embedded SQLite file `./.engram/memory.db`. */
  backend?: Backend;
  /**
   * How text becomes vectors: an Engram `Embedder`, an AI SDK `EmbeddingModel` or LangChain
   * `Embeddings`. Defaults to the offline Universal Sentence Encoder.
   */
  embedder?: EmbedderSource;
  limits?: Partial<MemoryLimits>;
  /** The clock, in epoch milliseconds. Tests pass a fake one. */
  now?: () => number;
  /**
   * Default lifetimes in milliseconds by kind, for memories remembered without `expiresAt` or
   * `ttlMs`: `{ episode: 30 * 86_400_000 }` keeps episodes for 30 days.
   */
  ttlByKind?: TtlByKind;
  /**
   * What happens to a duplicate: the same content in the same namespace, or a near duplicate
   * (cosine similarity >= `threshold`, default 0.95). Default policy `"merge"`. `false` turns
   * duplicate detection off, for bulk imports of data already known to be unique.
   */
  dedup?: DedupOptions | false;
  /**
   * How recency (half-life 30 days), importance, pinning and use adjust relevance: by at most
   * `weight` (0.1) of the score. `{ weight: 0 }` ranks by relevance alone.
   */
  ranking?: Partial<RankingOptions>;
  /** Counts tokens for `context`; defaults to an estimate of four characters a token. */
  countTokens?: TokenCounter;
  /**
   * A capacity per namespace: past it, remember evicts the memories least worth keeping
   * (retention = decay since last use × importance × use), never pinned ones.
   */
  retention?: RetentionOptions;
  /**
   * OpenTelemetry spans for remember, recall (with its legs), context, ingest and erase, sent
   * to the globally registered provider (none: no cost). Spans carry counts, modes and
   * namespace depths; `{ recordContent: true }` adds queries and namespaces. `false`: no spans.
   */
  telemetry?: TelemetryOptions | false;
}

/** The memory engine. Every method validates its input and writes nothing when it throws. */
export interface Memory {
  /** The backend's name (`"sqlite"`, `"redis"`). */
  readonly backend: string;
  /** Stores one memory. Remembering a known `key` in the same namespace updates it. */
  remember(input: RememberInput): Promise<RememberResult>;
  /** Stores many memories at once, all or none, embedding them in batches. */
  remember(inputs: readonly RememberInput[]): Promise<RememberResult[]>;
  /**
   * Writes exported memories back exactly (ids, timestamps, counters, history); ids that exist
   * are skipped, so restoring twice changes nothing.
   */
  restore(items: readonly RestoreItem[]): Promise<RestoreResult>;
  /** The memories most relevant to `query` in a scope, best first, scores in [0, 1]. */
  recall(options: RecallOptions): Promise<RecalledMemory[]>;
  /**
   * The most relevant memories as a prompt-ready block, grouped by kind, each citing its id,
   * never over `maxTokens`; with `thread` and `workingMemory`, also the working memory and the
   * thread's summary and recent messages, the budget split between them by `shares`.
   */
  context(options: ContextOptions): Promise<ContextBlock>;
  /** One memory by id, or by the key it was remembered under: `get({ namespace, key })`. */
  get(address: MemoryAddress): Promise<MemoryRecord | undefined>;
  /**
   * The stored vectors of memories by id, in order (`undefined` for an unknown id), each with
   * the model that made it: what an export carries so an import on that model embeds nothing.
   */
  vectors(ids: readonly string[]): Promise<(MemoryVector | undefined)[]>;
  /** Every recorded change of a memory (created, updated, merged, deleted), oldest first. */
  history(id: string): Promise<HistoryEntry[]>;
  /** A page of memories in a scope, newest first. */
  list(options: ListOptions): Promise<MemoryPage>;
  /** The namespaces that hold memories, sorted; `within` narrows them to one subtree. */
  namespaces(options?: NamespacesOptions): Promise<Namespace[]>;
  /** How many live memories match a scope and filter. */
  count(filter: ForgetFilter): Promise<number>;
  /** Every namespace in a scope holding live memories, with counts by kind (for browsing). */
  countNamespaces(scope: Scope): Promise<NamespaceCount[]>;
  /** Changes fields of a memory; content changes are re-embedded. */
  update(id: string, patch: MemoryPatch): Promise<MemoryRecord>;
  /** Deletes memories by id, ids, or a scope and filter; returns how many were deleted. */
  forget(target: string | readonly string[] | ForgetFilter): Promise<number>;
  /**
   * Erases a namespace and everything beneath it (the GDPR erase): its memories and what every
   * attached store keeps there. Returns how much went.
   */
  forgetNamespace(prefix: Namespace): Promise<ErasureReport>;
  /**
   * Registers an adapter's own storage (threads, chat histories) so `forgetNamespace` erases it
   * too. Returns a function that detaches it.
   */
  attach(store: AttachedStore): () => void;
  /**
   * Delivers change events for memories in a scope, in order and each once; with `since` (an
   * earlier event's id) it first replays what happened after that event.
   */
  subscribe(
    scope: Scope,
    handler: (event: MemoryEvent) => void | Promise<void>,
    options?: SubscribeOptions,
  ): Promise<Subscription>;
  /**
   * Applies the retention policy now: every namespace in scope over capacity (the memory's or
   * the one given) loses its least-worth-keeping memories. Pinned memories always stay.
   */
  prune(options: PruneOptions): Promise<PruneReport>;
  /**
   * Replaces each group of related memories in a namespace with one, written by `summarize`.
   * The sources leave the namespace but stay in `history` of the new memory.
   */
  consolidate(namespace: Namespace, options?: ConsolidateOptions): Promise<Consolidation[]>;
  /** Conversations: threads in namespaces, as memories are. */
  readonly threads: Threads;
  /** The messages of threads. */
  readonly messages: Messages;
  /** Working memory: a small versioned document per namespace or per thread. */
  readonly workingMemory: WorkingMemories;
  /**
   * Turns a thread's messages not yet ingested into long-term memories (extract, then decide
   * add/update/delete/none against similar memories), and optionally folds older messages
   * into the thread's summary. Incremental, and safe to call twice or concurrently.
   */
  ingest(input: ThreadAddress & IngestOptions): Promise<IngestReport>;
  /**
   * Opens the backend and loads the embedder's model if it has one to load (the offline
   * encoder takes a second or two, once per process), so the first recall is as fast as the
   * rest. Optional: everything loads on first use anyway.
   */
  warm(): Promise<void>;
  /** Waits for pending writes and releases the backend (and the default embedder's worker). */
  close(): Promise<void>;
}

const DEFAULT_LIMITS: MemoryLimits = { contentLength: 32_000, batchSize: 1000 };

/**
 * Creates a memory. With no options it runs fully offline on an embedded SQLite file and the
 * Universal Sentence Encoder.
 */
export function createMemory(options: MemoryOptions = {}): Memory {
  assertKnownOptions(options);
  const retention = toRetentionPolicy(options.retention);
  const backend = options.backend ?? sqliteBackend();
  // The default encoder is this memory's own, so `close` releases it (and its worker thread).
  const ownEncoder: UniversalSentenceEncoder | undefined =
    options.embedder === undefined ? universalSentenceEncoder() : undefined;
  const embedder = toEmbedder(options.embedder ?? ownEncoder!);
  const context = createContext(
    backend,
    embedder,
    { ...DEFAULT_LIMITS, ...options.limits },
    options.now ?? Date.now,
    options.ttlByKind,
    options.dedup === false
      ? false
      : { policy: options.dedup?.policy ?? "merge", threshold: options.dedup?.threshold ?? 0.95 },
    { ...DEFAULT_RANKING, ...options.ranking },
    retention,
    createTracing(options.telemetry),
  );
  const { tracing } = context;
  const traced = backend.name;

  const attached = new Map<string, AttachedStore>();
  const countTokens = options.countTokens ?? estimateTokens;
  const conversations = createConversations(context, countTokens);

  function rememberAny(input: RememberInput): Promise<RememberResult>;
  function rememberAny(inputs: readonly RememberInput[]): Promise<RememberResult[]>;
  async function rememberAny(
    input: RememberInput | readonly RememberInput[],
  ): Promise<RememberResult | RememberResult[]> {
    if (Array.isArray(input)) {
      return rememberSpan(tracing, traced, input, () => remember(context, input, false));
    }
    const inputs = [input as RememberInput];
    const [result] = await rememberSpan(tracing, traced, inputs, () =>
      remember(context, inputs, true),
    );
    return result!;
  }

  return {
    backend: backend.name,
    remember: rememberAny,
    recall: (recallOptions) =>
      recallSpan(tracing, traced, recallOptions, () => recall(context, recallOptions)),
    context: (contextOptions) =>
      contextSpan(tracing, traced, contextOptions, () =>
        buildContext(context, contextOptions, countTokens),
      ),
    async warm() {
      await Promise.all([context.ready(), embedder.warm?.()]);
    },
    restore: (items) => restore(context, items),
    get: (address) => get(context, address),
    history: (id) => history(context, id),
    vectors: (ids) => vectors(context, ids),
    list: (listOptions) => list(context, listOptions),
    namespaces: (namespacesOptions) => namespaces(context, namespacesOptions),
    count: (filter) => count(context, filter),
    countNamespaces: (scope) => countNamespaces(context, scope),
    update: (id, patch) => update(context, id, patch),
    forget: (target) => forget(context, target),
    forgetNamespace: (prefix) =>
      eraseSpan(tracing, traced, prefix, () => forgetNamespace(context, attached, prefix)),
    attach(store) {
      attached.set(store.name, store);
      return () => {
        if (attached.get(store.name) === store) attached.delete(store.name);
      };
    },
    subscribe: (scope, handler, subscribeOptions) =>
      subscribe(context, scope, handler, subscribeOptions),
    prune: (pruneOptions) => prune(context, pruneOptions),
    consolidate: (namespace, consolidateOptions) =>
      consolidate(context, namespace, consolidateOptions),
    threads: conversations.threads,
    messages: conversations.messages,
    workingMemory: conversations.workingMemory,
    ingest: (input) => ingestSpan(tracing, traced, input, () => conversations.ingest(input)),
    async close() {
      try {
        await context.close();
      } finally {
        await ownEncoder?.close();
      }
    },
  };
}
