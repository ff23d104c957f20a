import { describe, expect, it } from "vitest";
import type { MemoryRecord } from "../record/memory-record.js";
import { applyRanking, rankingSignals } from "./ranking.js";

const DAY = 86_400_000;
const memory = (fields: Partial<MemoryRecord>) =>
  ({
    importance: 0.5,
    pinned: false,
    accessCount: 0,
    updatedAt: new Date(0),
    ...fields,
  }) as MemoryRecord;

describe("rankingSignals", () => {
  it("halves recency every half-life and saturates access", () => {
    const signals = rankingSignals(
      memory({ updatedAt: new Date(0), accessCount: 100 }),
      30 * DAY,
      30 * DAY,
    );
    expect(signals.recency).toBeCloseTo(0.5, 10);
    expect(signals.access).toBeCloseTo(1, 10);
    expect(rankingSignals(memory({}), 60 * DAY, 30 * DAY).recency).toBeCloseTo(0.25, 10);
    expect(rankingSignals(memory({}), 60 * DAY, false).recency).toBeUndefined();
  });
});

describe("applyRanking", () => {
  it("keeps scores in [relevance x (1 - weight), relevance]", () => {
    const best = { recency: 1, importance: 1, pinned: 1, access: 1 };
    const worst = { recency: 0, importance: 0, pinned: 0, access: 0 };
    expect(applyRanking(0.8, best, 0.1)).toBeCloseTo(0.8, 10);
    expect(applyRanking(0.8, worst, 0.1)).toBeCloseTo(0.72, 10);
    expect(applyRanking(0.8, worst, 0)).toBe(0.8);
  });

  it("orders equally relevant memories by their signals", () => {
    const fresh = rankingSignals(memory({ updatedAt: new Date(29 * DAY) }), 30 * DAY, 30 * DAY);
    const stale = rankingSignals(memory({ updatedAt: new Date(0) }), 30 * DAY, 30 * DAY);
    const pinned = rankingSignals(
      memory({ updatedAt: new Date(0), pinned: true }),
      30 * DAY,
      30 * DAY,
    );
    expect(applyRanking(0.5, fresh, 0.1)).toBeGreaterThan(applyRanking(0.5, stale, 0.1));
    expect(applyRanking(0.5, pinned, 0.1)).toBeGreaterThan(applyRanking(0.5, stale, 0.1));
  });
});
