import { describe, expect, it } from "vitest";
import { bytesToVector, dot, meanUnitVector, TopK, vectorToBytes } from "./vector-math.js";

describe("TopK", () => {
  it("keeps the k best, best first", () => {
    const top = new TopK<number>(3);
    const scores = [5, 1, 9, 3, 7, 2, 8];
    for (const score of scores) top.push(score, score * 10);
    expect(top.sorted().map((entry) => entry.item)).toEqual([90, 80, 70]);
    expect(top.threshold).toBe(7);
  });

  it("handles fewer items than k", () => {
    const top = new TopK<string>(5);
    top.push(1, "a");
    expect(top.sorted()).toEqual([{ score: 1, item: "a" }]);
    expect(top.threshold).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("vector bytes", () => {
  it("round-trips exactly, even from an unaligned view", () => {
    const vector = Float32Array.from([0.25, -1.5, 3e-8]);
    const bytes = vectorToBytes(vector);
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    expect(bytesToVector(padded.subarray(1))).toEqual(vector);
    expect(dot(vector, vector)).toBeCloseTo(0.25 * 0.25 + 1.5 * 1.5, 6);
  });

  it("computes dot products of any length, remainder included", () => {
    for (const length of [1, 3, 4, 5, 8, 11]) {
      const a = Float32Array.from({ length }, (_, i) => i + 1);
      const b = Float32Array.from({ length }, (_, i) => (i % 2 ? -1 : 2));
      let expected = 0;
      for (let i = 0; i < length; i++) expected += a[i]! * b[i]!;
      expect(dot(a, b)).toBe(expected);
    }
  });
});

describe("meanUnitVector", () => {
  it("returns the unit-length mean direction", () => {
    const mean = meanUnitVector([Float32Array.of(1, 0), Float32Array.of(0, 1)]);
    expect(mean[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(mean[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(dot(mean, mean)).toBeCloseTo(1, 6);
  });

  it("returns a single vector as it is, and the first when they cancel out", () => {
    const only = Float32Array.of(0, 1);
    expect(meanUnitVector([only])).toBe(only);
    const first = Float32Array.of(1, 0);
    expect(meanUnitVector([first, Float32Array.of(-1, 0)])).toBe(first);
    expect(() => meanUnitVector([])).toThrow(RangeError);
  });
});
