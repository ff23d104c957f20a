/** A vector as an embedder may return it. */
export type Vector = ArrayLike<number>;

/**
 * Turns text into vectors. This is the one interface every embedding source is adapted to.
 */
export interface Embedder {
  /** Identifies the model, e.g. `"openai:text-embedding-3-small"`. Stored with every memory. */
  readonly model: string;
  /** The vector length, when known before the first call. */
  readonly dimensions?: number | undefined;
  /** The most texts one `embed` call takes; larger batches are split. */
  readonly maxBatchSize?: number | undefined;
  /** Embeds documents, one vector per text, in order. */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<readonly Vector[]>;
  /** Embeds a search query, for models that treat queries differently from documents. */
  embedQuery?(text: string, options?: { signal?: AbortSignal }): Promise<Vector>;
  /**
   * Loads what the first `embed` would (a local model), so that call is fast. Optional: an
   * embedder with nothing to load leaves it out.
   */
  warm?(): Promise<void>;
}
