import { describe, expect, it } from "vitest";
import {
  reciprocalRankFusion,
  saturateKeywordScore,
  semanticScore,
  weightedScoreFusion,
} from "./fusion.js";

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

describe("weightedScoreFusion", () => {
  it("weighs cosine against BM25 relative to the query's best, within [0, 1]", () => {
    const fused = weightedScoreFusion(
      [
        { id: "a", score: 0.8 },
        { id: "b", score: 0.4 },
        { id: "c", score: -0.2 },
      ],
      [
        { id: "b", score: 12 },
        { id: "d", score: 3 },
      ],
      0.25,
    );
    expect(fused.get("a")).toEqual({ semantic: 0.8, keyword: 0, score: 0.75 * 0.8 });
    expect(fused.get("b")).toEqual({ semantic: 0.4, keyword: 1, score: 0.25 + 0.75 * 0.4 });
    expect(fused.get("c")).toEqual({ semantic: 0, keyword: 0, score: 0 });
    expect(fused.get("d")!.keyword).toBeCloseTo(0.25, 10);
    expect(fused.get("d")!.semantic).toBe(0);
    for (const { score } of fused.values()) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it("falls back to semantic scores when nothing matches by word", () => {
    const fused = weightedScoreFusion([{ id: "a", score: 1 }], [], 0.3);
    expect(fused.get("a")!.score).toBeCloseTo(0.7, 10);
    expect(weightedScoreFusion([], [{ id: "z", score: 0 }]).get("z")).toBeUndefined();
  });

  it("scores 1 only for the best match by both word and meaning", () => {
    const fused = weightedScoreFusion([{ id: "a", score: 1 }], [{ id: "a", score: 7 }]);
    expect(fused.get("a")!.score).toBeCloseTo(1, 10);
  });
});
