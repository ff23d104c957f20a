import { describe, expect, it } from "vitest";
import { BandIndex } from "./band-index.js";
import { hammingLimits, signatureOf } from "./lsh-signature.js";
import { NamespaceBands } from "./namespace-bands.js";

const signature = (seed: number) => {
  let state = seed >>> 0;
  const values = Float32Array.from({ length: 16 }, () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0;
    return state / 4294967296 - 0.5;
  });
  const norm = Math.hypot(...values);
  return signatureOf(values.map((value) => value / norm));
};
const limits = hammingLimits(0.95);

function indexOf(entries: [string, number][]): BandIndex<string> {
  const index = new BandIndex<string>();
  for (const [key, seed] of entries) index.set(key, signature(seed));
  return index;
}

describe("NamespaceBands", () => {
  it("patches held namespaces, ignores others, and moves a memory between namespaces", () => {
    const bands = new NamespaceBands<string>();
    bands.keep("a", indexOf([["m1", 1]]));
    bands.put("m2", "a", signature(2));
    bands.put("m3", "b", signature(3));
    expect(bands.get("b")).toBeUndefined();
    expect(bands.get("a")!.candidates(signature(2), limits)).toEqual(["m2"]);
    bands.keep("b", indexOf([]));
    bands.put("m2", "b", signature(2));
    expect(bands.get("a")!.candidates(signature(2), limits)).toEqual([]);
    expect(bands.get("b")!.candidates(signature(2), limits)).toEqual(["m2"]);
    bands.delete("m2");
    expect(bands.get("b")!.size).toBe(0);
    bands.clear();
    expect(bands.get("a")).toBeUndefined();
  });

  it("drops the least recently probed namespaces past its bound, never the one in use", () => {
    const bands = new NamespaceBands<string>(3);
    bands.keep("a", indexOf([["a1", 1]]));
    bands.keep("b", indexOf([["b1", 2]]));
    bands.get("a");
    bands.keep(
      "c",
      indexOf([
        ["c1", 3],
        ["c2", 4],
      ]),
    );
    expect(bands.get("b")).toBeUndefined();
    expect(bands.get("a")?.size).toBe(1);
    bands.keep(
      "big",
      indexOf([
        ["x1", 5],
        ["x2", 6],
        ["x3", 7],
        ["x4", 8],
      ]),
    );
    expect(bands.get("big")?.size).toBe(4);
    expect(bands.get("a")).toBeUndefined();
    expect(bands.get("c")).toBeUndefined();
    // A dropped namespace's memories are no longer tracked.
    bands.put("a1", "big", signature(1));
    expect(bands.get("big")?.size).toBe(5);
  });
});
