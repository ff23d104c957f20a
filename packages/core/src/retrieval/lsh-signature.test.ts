import { describe, expect, it } from "vitest";
import { BandIndex } from "./band-index.js";
import {
  bandKeys,
  bandsCover,
  bytesToSignature,
  hammingDistance,
  hammingLimits,
  MAX_MISS,
  missProbability,
  SIGNATURE_BITS,
  signatureOf,
  signatureToBytes,
  withinDistance,
} from "./lsh-signature.js";

function generator(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, gaussian };
}

const unit = (values: Float32Array) => {
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
};
const dot = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, value, i) => sum + value * b[i]!, 0);

/**
 * A random unit vector (dense, or sparse like a hashing embedder's) and another at exactly
 * `cosine` from it.
 */
function pair(
  random: ReturnType<typeof generator>,
  dimensions: number,
  cosine: number,
  sparse: boolean,
) {
  const draw = () => {
    const vector = new Float32Array(dimensions);
    if (sparse)
      for (let k = 0; k < 12; k++)
        vector[Math.floor(random.uniform() * dimensions)]! += random.gaussian();
    else for (let i = 0; i < dimensions; i++) vector[i] = random.gaussian();
    return unit(vector);
  };
  const x = draw();
  const noise = draw();
  const along = dot(noise, x);
  const orthogonal = unit(noise.map((value, i) => value - along * x[i]!));
  const y = unit(x.map((value, i) => cosine * value + Math.sqrt(1 - cosine ** 2) * orthogonal[i]!));
  return [x, y] as const;
}

/** Whether the store's index would propose `b` for `a`: a shared band, within the limits. */
function proposed(a: Float32Array, b: Float32Array, threshold: number): boolean {
  const index = new BandIndex<string>();
  index.set("b", signatureOf(b));
  return index.candidates(signatureOf(a), hammingLimits(threshold)).length === 1;
}

describe("signatureOf", () => {
  it("is the same for the same vector in any copy, and 512 bits for any dimension count", () => {
    const random = generator(1);
    for (const dimensions of [8, 300, 384, 1536]) {
      const [vector] = pair(random, dimensions, 0.5, false);
      const signature = signatureOf(vector);
      expect(signatureOf(Float32Array.from(vector))).toEqual(signature);
      expect(signature.length * 32).toBe(SIGNATURE_BITS);
      expect(bytesToSignature(signatureToBytes(signature))).toEqual(signature);
    }
    expect(bytesToSignature(new Uint8Array(10))).toBeUndefined();
  });

  it("differs in about θ/π of its bits between two vectors at angle θ", () => {
    const random = generator(2);
    for (const cosine of [0.99, 0.95, 0.8, 0.5, 0]) {
      let total = 0;
      for (let i = 0; i < 200; i++) {
        const [a, b] = pair(random, 384, cosine, false);
        total += hammingDistance(signatureOf(a), signatureOf(b));
      }
      const expected = (SIGNATURE_BITS * Math.acos(cosine)) / Math.PI;
      expect(total / 200).toBeGreaterThan(expected * 0.9);
      expect(total / 200).toBeLessThan(expected * 1.1 + 1);
    }
  });
});

describe("the band index's recall", () => {
  it("documents its miss probability and where it stops covering a threshold", () => {
    expect(missProbability(0.95)).toBeCloseTo(0.0081, 4);
    expect(missProbability(0.97)).toBeLessThan(0.001);
    expect(bandsCover(0.95)).toBe(true);
    expect(missProbability(0.94)).toBeGreaterThan(MAX_MISS);
    expect(bandsCover(0.94)).toBe(false);
    expect(bandsCover(0.9)).toBe(false);
  });

  for (const sparse of [false, true]) {
    it(`finds at least 99% of ${sparse ? "sparse" : "dense"} pairs at cosine >= 0.95`, () => {
      const random = generator(sparse ? 3 : 4);
      const pairs = 3000;
      let found = 0;
      let foundAtEdge = 0;
      for (let i = 0; i < pairs; i++) {
        const [a, b] = pair(random, 384, 0.95 + 0.05 * random.uniform(), sparse);
        if (proposed(a, b, 0.95)) found += 1;
        const [c, d] = pair(random, 384, 0.95, sparse);
        if (proposed(c, d, 0.95)) foundAtEdge += 1;
      }
      expect(found / pairs).toBeGreaterThanOrEqual(0.99);
      // Exactly at the threshold the expected recall is 1 - 0.81%.
      expect(foundAtEdge / pairs).toBeGreaterThanOrEqual(0.98);
    });
  }

  it("rarely proposes unrelated or merely similar vectors", () => {
    const random = generator(5);
    let unrelated = 0;
    let similar = 0;
    for (let i = 0; i < 2000; i++) {
      const [a, b] = pair(random, 384, 0, false);
      if (proposed(a, b, 0.95)) unrelated += 1;
      const [c, d] = pair(random, 384, 0.7, false);
      if (proposed(c, d, 0.95)) similar += 1;
    }
    expect(unrelated).toBe(0);
    expect(similar / 2000).toBeLessThan(0.01);
  });
});

describe("withinDistance", () => {
  it("agrees with the Hamming distance against the limits", () => {
    const random = generator(6);
    const limits = hammingLimits(0.95);
    for (let i = 0; i < 500; i++) {
      const [a, b] = pair(random, 64, random.uniform(), false);
      const distance = hammingDistance(signatureOf(a), signatureOf(b));
      if (distance > limits.whole)
        expect(withinDistance(signatureOf(a), signatureOf(b), limits)).toBe(false);
      else if (distance <= limits.quarter)
        expect(withinDistance(signatureOf(a), signatureOf(b), limits)).toBe(true);
    }
    expect(bandKeys(signatureOf(pair(random, 64, 0, false)[0])).length).toBe(24);
  });
});
