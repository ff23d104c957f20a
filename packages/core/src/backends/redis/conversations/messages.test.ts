import { describe, expect, it } from "vitest";
import { sortKey, timeKey } from "./codec.js";
import { lexRange } from "./messages.js";

const position = (createdAt: number, seq: number) => ({ createdAt, seq });

describe("sortKey", () => {
  it("sorts as (createdAt, seq) does, as plain strings", () => {
    const positions = [
      position(5, 2),
      position(5, 10),
      position(40, 1),
      position(1, 99),
      position(0, 0),
    ];
    const byKey = [...positions].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    const byPosition = [...positions].sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    expect(byKey).toEqual(byPosition);
    expect(sortKey(position(8.64e15, 1))).toHaveLength(28);
  });
});

describe("lexRange", () => {
  const base = { direction: "backward" as const, limit: 10 };

  it("is the whole set without bounds", () => {
    expect(lexRange(base)).toEqual({ min: "-", max: "+" });
  });

  it("starts after a message at the next sequence number and ends before one at its key", () => {
    expect(lexRange({ ...base, after: position(7, 3), before: position(9, 1) })).toEqual({
      min: `[${sortKey(position(7, 4))}`,
      max: `(${sortKey(position(9, 1))}`,
    });
  });

  it("bounds times by their 16-digit prefix, inclusive from and exclusive to", () => {
    expect(lexRange({ ...base, from: 100, to: 200 })).toEqual({
      min: `[${timeKey(100)}`,
      max: `(${timeKey(200)}`,
    });
  });

  it("keeps the tighter of a message bound and a time bound", () => {
    expect(lexRange({ ...base, after: position(50, 1), from: 100 }).min).toBe(`[${timeKey(100)}`);
    expect(lexRange({ ...base, after: position(150, 1), from: 100 }).min).toBe(
      `[${sortKey(position(150, 2))}`,
    );
    expect(lexRange({ ...base, before: position(150, 1), to: 100 }).max).toBe(`(${timeKey(100)}`);
    expect(lexRange({ ...base, before: position(50, 1), to: 100 }).max).toBe(
      `(${sortKey(position(50, 1))}`,
    );
    // The same time from a message and a range: the message bound is the tighter one.
    expect(lexRange({ ...base, after: position(100, 0), from: 100 }).min).toBe(
      `[${sortKey(position(100, 1))}`,
    );
  });
});
