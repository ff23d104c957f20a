import type { Embedder } from "@engram/core";
import { random } from "./corpus.ts";

/**
 * Clustered unit vectors: a memory is its cluster's centre plus noise, as real embeddings of
 * related notes are; queries drawn the same way have true near neighbours. `next` is the
 * generator's own stream, for benches that draw other choices from the same seed.
 */
export function clusteredVectors(dimensions: number, clusters: number, seed = 384) {
  const next = random(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  const unit = (values: Float32Array): Float32Array => {
    let norm = 0;
    for (const value of values) norm += value * value;
    norm = Math.sqrt(norm);
    for (let i = 0; i < values.length; i++) values[i]! /= norm;
    return values;
  };
  const centres = Array.from({ length: clusters }, () =>
    unit(Float32Array.from({ length: dimensions }, gaussian)),
  );
  const near = (): Float32Array => {
    const centre = centres[Math.floor(next() * clusters)]!;
    return unit(Float32Array.from(centre, (value) => value + 0.06 * gaussian()));
  };
  return { next, near };
}

/**
 * An embedder that looks texts up in `vectors`, drawing a fresh `near()` vector the first time
 * it sees one: embedding costs nothing, so a bench times only what it measures.
 */
export function syntheticEmbedder(near: () => Float32Array, dimensions: number) {
  const vectors = new Map<string, Float32Array>();
  const vectorOf = (text: string): Float32Array => {
    let vector = vectors.get(text);
    if (!vector) {
      vector = near();
      vectors.set(text, vector);
    }
    return vector;
  };
  const embedder: Embedder = {
    model: `bench-synthetic-${dimensions}`,
    dimensions,
    embed: async (batch) => batch.map(vectorOf),
  };
  return { embedder, vectors };
}
