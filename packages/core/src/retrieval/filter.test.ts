import { describe, expect, it } from "vitest";
import type { MemoryRecord } from "../record/memory-record.js";
import { matchesFilter } from "./filter.js";

const record = {
  kind: "fact",
  tags: ["a", "b"],
  metadata: { n: 1, s: "x", t: true, z: null, nested: { n: 1 } },
  createdAt: new Date(100),
  updatedAt: new Date(200),
  pinned: false,
  expiresAt: new Date(1000),
} as unknown as MemoryRecord;

describe("matchesFilter", () => {
  it.each([
    [{}, true],
    [{ kinds: ["fact", "task"] }, true],
    [{ kinds: ["task"] }, false],
    [{ tags: ["a", "b"] }, true],
    [{ tags: ["a", "c"] }, false],
    [{ metadata: { n: 1, s: "x" } }, true],
    [{ metadata: { n: "1" } }, false],
    [{ metadata: { t: 1 } }, false],
    [{ metadata: { z: null } }, true],
    [{ metadata: { missing: null } }, false],
    [{ createdAfter: 99, createdBefore: 101 }, true],
    [{ createdAfter: 100 }, false],
    [{ updatedBefore: 200 }, false],
    [{ updatedAfter: 150 }, true],
    [{ pinned: false }, true],
    [{ pinned: true }, false],
  ])("%j -> %s", (filter, expected) => {
    expect(matchesFilter(record, filter, 0)).toBe(expected);
  });

  it("treats an expired record as absent", () => {
    expect(matchesFilter(record, {}, 999)).toBe(true);
    expect(matchesFilter(record, {}, 1000)).toBe(false);
  });
});
