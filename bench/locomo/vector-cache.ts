// A bench-only embedder wrapper that remembers vectors in a file, so repeated LoCoMo runs
// (tuning experiments) skip the ~10 ms per text the offline encoder costs. Off by default:
// the bench's ingest and recall times only mean something with a cold encoder.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Embedder, Vector } from "@engram/core";

/** An embedder that reads and fills a vector file, and `save()` to write what was added. */
export interface CachedEmbedder extends Embedder {
  save(): void;
}

/** Wraps `inner` with a cache at `path` (JSON: text hash -> base64 float32), keyed by model. */
export function cachedEmbedder(inner: Embedder, path: string): CachedEmbedder {
  const stored: Record<string, string> = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, string>)
    : {};
  let added = 0;
  const keyOf = (text: string) =>
    createHash("sha1").update(inner.model).update("\0").update(text).digest("base64url");
  const decode = (value: string) => {
    const bytes = Buffer.from(value, "base64");
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  };
  const embed = async (texts: readonly string[]): Promise<Vector[]> => {
    const missing = [...new Set(texts.filter((text) => stored[keyOf(text)] === undefined))];
    if (missing.length > 0) {
      const vectors = await inner.embed(missing);
      missing.forEach((text, i) => {
        stored[keyOf(text)] = Buffer.from(Float32Array.from(vectors[i]!).buffer).toString("base64");
      });
      added += missing.length;
    }
    return texts.map((text) => decode(stored[keyOf(text)]!));
  };
  return {
    model: inner.model,
    dimensions: inner.dimensions,
    maxBatchSize: 1024,
    embed,
    embedQuery: async (text) => (await embed([text]))[0]!,
    save() {
      if (added > 0) writeFileSync(path, JSON.stringify(stored));
      added = 0;
    },
  };
}
