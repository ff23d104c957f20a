import { describe, expect, it } from "vitest";
import type { MemoryRecord } from "../../record/memory-record.js";
import type { ScoredMemory, Selection } from "../backend.js";
import { nearestBySearch } from "./near-duplicates.js";

describe("nearestBySearch (search mode)", () => {
  it("asks for the one nearest memory of each probe's exact namespace, at the time given", async () => {
    const calls: { selection: Selection; vector: Float32Array; limit: number }[] = [];
    const scores = [0.97, 0.9];
    const search = async (selection: Selection, vector: Float32Array, limit: number) => {
      calls.push({ selection, vector, limit });
      const score = scores[calls.length - 1]!;
      return [{ memory: { id: `m${calls.length}` } as MemoryRecord, score }] as ScoredMemory[];
    };
    const a = new Float32Array([1, 0]);
    const b = new Float32Array([0, 1]);
    const found = await nearestBySearch(
      search,
      [
        { namespace: "acme/u1", vector: a },
        { namespace: "acme/u2", vector: b },
      ],
      0.95,
      1234,
    );
    expect(calls).toEqual([
      {
        selection: { scope: { exact: ["acme/u1"], prefixes: [] }, filter: {}, now: 1234 },
        vector: a,
        limit: 1,
      },
      {
        selection: { scope: { exact: ["acme/u2"], prefixes: [] }, filter: {}, now: 1234 },
        vector: b,
        limit: 1,
      },
    ]);
    // Below the threshold is no duplicate.
    expect(found.map((entry) => entry?.memory.id)).toEqual(["m1", undefined]);
  });
});
