import { describe, expect, it } from "vitest";
import { VectorIndex } from "./vector-index.js";
import { dot, TopK } from "./vector-math.js";

function unit(...values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

describe("VectorIndex", () => {
  it("scores only the listed keys, best first", () => {
    const index = new VectorIndex<string>(3, 1);
    index.set("x", unit(1, 0, 0));
    index.set("y", unit(0, 1, 0));
    index.set("xy", unit(1, 1, 0));
    const top = new TopK<string>(2);
    index.scan(unit(1, 0.1, 0), ["x", "y", "xy", "missing"], top);
    expect(top.sorted().map((e) => e.item)).toEqual(["x", "xy"]);
    const onlyY = new TopK<string>(5);
    index.scan(unit(1, 0, 0), ["y"], onlyY);
    expect(onlyY.sorted().map((e) => e.item)).toEqual(["y"]);
  });

  it("keeps scores exact through growth, overwrite and deletion", () => {
    const index = new VectorIndex<number>(5, 2);
    const vectors = new Map<number, Float32Array>();
    for (let key = 0; key < 50; key++) {
      const vector = unit(key + 1, key % 3, 1, -key, 0.5);
      vectors.set(key, vector);
      index.set(key, vector);
    }
    index.set(7, unit(0, 0, 0, 0, 1));
    vectors.set(7, unit(0, 0, 0, 0, 1));
    for (const key of [0, 49, 13, 13]) {
      index.delete(key);
      vectors.delete(key);
    }
    expect(index.size).toBe(47);
    const query = unit(0.3, -0.2, 0.5, 0.1, 0.9);
    const top = new TopK<number>(100);
    index.scan(query, [...Array(50).keys()], top);
    const scored = top.sorted();
    expect(scored.map((e) => e.item).sort((a, b) => a - b)).toEqual(
      [...vectors.keys()].sort((a, b) => a - b),
    );
    for (const { item, score } of scored)
      expect(score).toBeCloseTo(dot(query, vectors.get(item)!), 5);
  });

  it("ignores vectors of another length", () => {
    const index = new VectorIndex<string>(3);
    index.set("bad", Float32Array.from([1, 0]));
    expect(index.has("bad")).toBe(false);
  });
});
