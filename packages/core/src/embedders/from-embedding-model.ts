import { EngramError } from "../errors/engram-error.js";
import type { Embedder, Vector } from "./embedder.js";

/**
 * Where AI SDK providers declare a request-size limit in bytes (OpenAI: 300,000), as
 * `@ai-sdk/provider-utils` exports it (`EXPERIMENTAL_EMBEDDING_MODEL_MAX_INPUT_BYTES_PER_CALL`).
 * `embedMany` splits batches by it as well as by `maxEmbeddingsPerCall`; so must we, or a
 * large remember batch becomes one request the provider refuses.
 */
const MAX_INPUT_BYTES_PER_CALL = Symbol.for("vercel.ai.embeddingModel.maxInputBytesPerCall");

type Limit = PromiseLike<number | undefined> | number | undefined;

/**
 * The structural shape of an AI SDK `EmbeddingModel` (specification v2, v3 or v4), so core
 * needs no dependency on the AI SDK.
 */
export interface EmbeddingModelLike {
  readonly specificationVersion: "v2" | "v3" | "v4";
  readonly provider: string;
  readonly modelId: string;
  readonly maxEmbeddingsPerCall: Limit;
  doEmbed(options: {
    values: string[];
    abortSignal?: AbortSignal;
  }): PromiseLike<{ embeddings: Vector[] }>;
}

/** True when `value` looks like an AI SDK embedding model. */
export function isEmbeddingModel(value: unknown): value is EmbeddingModelLike {
  const candidate = value as Partial<EmbeddingModelLike> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    ["v2", "v3", "v4"].includes(candidate.specificationVersion as string) &&
    typeof candidate.doEmbed === "function"
  );
}

/** A declared limit as a number, or undefined for none; a limit below 1 is a broken model. */
function readLimit(model: EmbeddingModelLike, name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value !== "number" || !(value >= 1)) {
    throw new EngramError(
      "EMBEDDER_FAILED",
      `Embedding model ${model.provider}:${model.modelId} declares ${name} = ${String(value)}; it must be at least 1.`,
    );
  }
  return Math.floor(value);
}

const encoder = new TextEncoder();

/**
 * Splits texts into requests as the AI SDK's `embedMany` does: a new request starts when the
 * current one holds `maxCount` texts or the next text would take it past `maxBytes` (UTF-8). A
 * single text over `maxBytes` still goes alone, for the provider to accept or refuse.
 */
function splitIntoRequests(
  texts: readonly string[],
  maxCount: number | undefined,
  maxBytes: number | undefined,
): string[][] {
  if (maxCount === undefined && maxBytes === undefined) return texts.length > 0 ? [[...texts]] : [];
  const requests: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const text of texts) {
    const size = maxBytes === undefined ? 0 : encoder.encode(text).length;
    const full =
      (maxCount !== undefined && current.length >= maxCount) ||
      (maxBytes !== undefined && bytes + size > maxBytes);
    if (current.length > 0 && full) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(text);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** Adapts an AI SDK `EmbeddingModel` (v2, v3 or v4) to an `Embedder`. */
export function fromEmbeddingModel(
  model: EmbeddingModelLike,
  options: { dimensions?: number } = {},
): Embedder {
  let limits: Promise<{ count: number | undefined; bytes: number | undefined }> | undefined;
  let maxBatchSize: number | undefined;
  const resolveLimits = () => {
    limits ??= Promise.all([
      model.maxEmbeddingsPerCall,
      (model as unknown as Record<symbol, Limit>)[MAX_INPUT_BYTES_PER_CALL],
    ]).then(([count, bytes]) => {
      const resolved = {
        count: readLimit(model, "maxEmbeddingsPerCall", count),
        bytes: readLimit(model, "maxInputBytesPerCall", bytes),
      };
      maxBatchSize = resolved.count;
      return resolved;
    });
    // A model whose limits fail to resolve is asked again on the next call.
    limits.catch(() => {
      limits = undefined;
    });
    return limits;
  };
  return {
    model: `${model.provider}:${model.modelId}`,
    dimensions: options.dimensions,
    get maxBatchSize() {
      return maxBatchSize;
    },
    async embed(texts, callOptions) {
      const { count, bytes } = await resolveLimits();
      const out: Vector[] = [];
      for (const values of splitIntoRequests(texts, count, bytes)) {
        const result = await model.doEmbed(
          callOptions?.signal ? { values, abortSignal: callOptions.signal } : { values },
        );
        out.push(...result.embeddings);
      }
      return out;
    },
  };
}
