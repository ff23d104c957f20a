import type { Backend, EmbeddingSpace } from "../backends/backend.js";
import { assertSameSpace } from "../backends/embedding-space.js";
import type { Embedder } from "../embedders/embedder.js";
import {
  createEmbeddingPipeline,
  type EmbeddingPipeline,
} from "../embedders/embedding-pipeline.js";
import { EngramError } from "../errors/engram-error.js";
import { DEFAULT_RANKING, type RankingOptions } from "../retrieval/ranking.js";
import { createTracing, type Tracing } from "../telemetry/tracing.js";
import type { DedupOptions } from "./deduplicate.js";
import type { RetentionPolicy } from "./retention.js";

export interface MemoryLimits {
  /** Longest content, in characters. */
  contentLength: number;
  /** Most inputs in one `remember` call. */
  batchSize: number;
}

/** How long memories of a kind live when a remember gives neither `expiresAt` nor `ttlMs`, in ms. */
export type TtlByKind = Readonly<Record<string, number>>;

/** What every operation needs: the backend, the embedding path, the clock and the limits. */
export interface MemoryContext {
  readonly backend: Backend;
  readonly embedder: Embedder;
  readonly limits: MemoryLimits;
  readonly ttlByKind: TtlByKind;
  /** `false` when duplicate detection is off. */
  readonly dedup: Required<DedupOptions> | false;
  readonly ranking: RankingOptions;
  /** Capacity per namespace and how retention decays. */
  readonly retention: RetentionPolicy;
  /** Opens OpenTelemetry spans (a no-op without a registered provider). */
  readonly tracing: Tracing;
  now(): number;
  /** Opens the backend once; throws `CLOSED` after `close()`. */
  ready(): Promise<void>;
  /** The embedding path, checked against what the store already holds. */
  embeddings(): Promise<EmbeddingPipeline>;
  /** Records the space of freshly made vectors (binding an empty store). */
  bind(dimensions: number): Promise<void>;
  /** True once the store holds vectors; before that, vector search has nothing to find. */
  hasVectors(): Promise<boolean>;
  /** The vector length the store is bound to, once it holds vectors. */
  dimensions(): Promise<number | undefined>;
  /** Runs writes one at a time, so a key check and its write are never interleaved. */
  serialize<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createContext(
  backend: Backend,
  embedder: Embedder,
  limits: MemoryLimits,
  now: () => number,
  ttlByKind: TtlByKind = {},
  dedup: Required<DedupOptions> | false = { policy: "merge", threshold: 0.95 },
  ranking: RankingOptions = DEFAULT_RANKING,
  retention: RetentionPolicy = { capacity: undefined, halfLifeMs: 30 * 86_400_000 },
  tracing: Tracing = createTracing(),
) {
  let opened: Promise<void> | undefined;
  let closed = false;
  let space: EmbeddingSpace | undefined;
  let pipeline: EmbeddingPipeline | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const context: MemoryContext = {
    backend,
    embedder,
    limits,
    ttlByKind,
    dedup,
    ranking,
    retention,
    tracing,
    now,

    ready() {
      if (closed) return Promise.reject(new EngramError("CLOSED", "This memory has been closed."));
      opened ??= backend.open().then(async () => {
        space = await backend.embeddingSpace();
      });
      opened.catch(() => {
        opened = undefined;
      });
      return opened;
    },

    async embeddings() {
      await context.ready();
      if (space)
        assertSameSpace(
          space,
          { model: embedder.model, dimensions: space.dimensions },
          backend.name,
        );
      pipeline ??= createEmbeddingPipeline({
        embedder,
        expectedDimensions: space?.dimensions,
        lookup: (model, hashes, tenant) => backend.findVectors(model, hashes, tenant),
      });
      return pipeline;
    },

    async bind(dimensions) {
      if (space) return;
      const fresh = { model: embedder.model, dimensions };
      await backend.bindEmbeddingSpace(fresh);
      space = fresh;
    },

    async hasVectors() {
      await context.ready();
      space ??= await backend.embeddingSpace();
      return space !== undefined;
    },

    async dimensions() {
      await context.hasVectors();
      return space?.dimensions;
    },

    serialize(work) {
      const run = queue.then(work, work);
      queue = run.catch(() => undefined);
      return run;
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await opened?.catch(() => undefined);
      await backend.close();
    },
  };
  return context;
}
