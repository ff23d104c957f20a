import { describe, expect, it } from "vitest";
import { bytesToVector, dot, TopK, vectorToBytes } from "./vector-math.js";

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
});
