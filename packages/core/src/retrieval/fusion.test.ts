import { describe, expect, it } from "vitest";
import { reciprocalRankFusion, saturateKeywordScore, semanticScore } from "./fusion.js";

describe("reciprocalRankFusion", () => {
  it("scores an id first in every list at 1 and rewards agreement", () => {
    const fused = reciprocalRankFusion([
      ["a", "b", "c"],
      ["a", "c"],
    ]);
    expect(fused.get("a")).toBeCloseTo(1, 10);
    expect(fused.get("c")!).toBeGreaterThan(fused.get("b")!);
    for (const score of fused.values()) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });
});

describe("score maps", () => {
  it("keep keyword and semantic scores in [0, 1] and in order", () => {
    expect(saturateKeywordScore(0)).toBe(0);
    expect(saturateKeywordScore(-3)).toBe(0);
    expect(saturateKeywordScore(2)).toBeLessThan(saturateKeywordScore(20));
    expect(saturateKeywordScore(1e9)).toBeLessThan(1);
    expect(semanticScore(-0.4)).toBe(0);
    expect(semanticScore(1.0000001)).toBe(1);
    expect(semanticScore(0.3)).toBe(0.3);
  });
});
