import type { Embedder } from "../embedders/embedder.js";

export interface TestEmbedderOptions {
  /** Vector length; default 256. */
  dimensions?: number;
  /** Model id stored with memories; default `"engram-test"`. */
  model?: string;
}

/** A deterministic embedder for tests; `calls` counts the texts it has embedded. */
export interface TestEmbedder extends Embedder {
  readonly dimensions: number;
  readonly calls: number;
  /** Every text it has embedded, in order. */
  readonly texts: string[];
}

function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// Crude stemming, so "databases" and "database" share a feature.
function stem(word: string): string {
  return word.length > 4 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

/**
 * Embeds by hashing words into a fixed number of signed buckets (the hashing trick). Texts that
 * share words get similar vectors, the same text always gets the same vector, and it takes
 * microseconds: fast enough for any test, with no model to load.
 */
export function createTestEmbedder(options: TestEmbedderOptions = {}): TestEmbedder {
  const dimensions = options.dimensions ?? 256;
  const texts: string[] = [];
  const embedOne = (text: string): number[] => {
    const vector = new Array<number>(dimensions).fill(0);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text];
    for (const word of words) {
      const feature = stem(word);
      const bucket = fnv1a(feature, 0) % dimensions;
      vector[bucket]! += fnv1a(feature, 1) & 1 ? 1 : -1;
    }
    // A constant component keeps every vector non-zero, even when features cancel out.
    vector[dimensions - 1]! += 0.01;
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  };
  return {
    model: options.model ?? "engram-test",
    dimensions,
    get calls() {
      return texts.length;
    },
    texts,
    async embed(batch) {
      texts.push(...batch);
      return batch.map(embedOne);
    },
  };
}
