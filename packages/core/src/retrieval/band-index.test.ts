import { describe, expect, it } from "vitest";
import { BandIndex } from "./band-index.js";
import { hammingLimits, signatureOf } from "./lsh-signature.js";

/** A pseudo-random unit vector, the same for the same seed. */
function vector(seed: number, dimensions = 32): Float32Array {
  let state = seed >>> 0;
  const values = Float32Array.from({ length: dimensions }, () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0;
    return state / 4294967296 - 0.5;
  });
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}
const limits = hammingLimits(0.95);

describe("BandIndex", () => {
  it("proposes an entry for its own signature and not for unrelated ones", () => {
    const index = new BandIndex<string>();
    for (let i = 0; i < 200; i++) index.set(`m${i}`, signatureOf(vector(i)));
    expect(index.size).toBe(200);
    expect(index.candidates(signatureOf(vector(7)), limits)).toEqual(["m7"]);
    expect(index.candidates(signatureOf(vector(1000)), limits)).toEqual([]);
  });

  it("forgets deleted entries and replaces re-set ones, reusing their slots", () => {
    const index = new BandIndex<string>();
    index.set("a", signatureOf(vector(1)));
    index.set("b", signatureOf(vector(2)));
    index.delete("a");
    expect(index.has("a")).toBe(false);
    expect(index.candidates(signatureOf(vector(1)), limits)).toEqual([]);
    index.set("b", signatureOf(vector(3)));
    expect(index.candidates(signatureOf(vector(2)), limits)).toEqual([]);
    expect(index.candidates(signatureOf(vector(3)), limits)).toEqual(["b"]);
    index.set("c", signatureOf(vector(1)));
    expect(index.candidates(signatureOf(vector(1)), limits)).toEqual(["c"]);
    expect([...index.keys()].sort()).toEqual(["b", "c"]);
    index.delete("missing");
    expect(index.size).toBe(2);
  });

  it("lists an entry found in several bands once", () => {
    const index = new BandIndex<number>();
    for (let i = 0; i < 5; i++) index.set(i, signatureOf(vector(42)));
    expect(index.candidates(signatureOf(vector(42)), limits).sort()).toEqual([0, 1, 2, 3, 4]);
    for (let i = 0; i < 3000; i++) index.set(100 + i, signatureOf(vector(i + 50, 16)));
    expect(index.candidates(signatureOf(vector(42)), limits).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
