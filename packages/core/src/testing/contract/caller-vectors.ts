import { describe, expect, it } from "vitest";
import { type ContractTarget, expectCode, setUp } from "./harness.js";

/** Memories whose vectors the caller made (a vector store adapter), and the reads it needs. */
export function callerVectorCases(target: ContractTarget): void {
  describe("caller vectors, raw ranking, keys, metadata conditions and count", () => {
    const axis = (i: number, dimensions: number) =>
      Array.from({ length: dimensions }, (_, j) =>
        j === i ? 1 : j === (i + 1) % dimensions ? 0.2 : 0,
      );

    it("stores the caller's vector and recalls by a query vector in raw similarity order", async () => {
      const { memory, embedder } = await setUp(target);
      const dimensions = embedder.dimensions;
      await memory.remember([
        {
          namespace: ["v"],
          content: "first",
          key: "a",
          vector: axis(0, dimensions),
          importance: 0,
        },
        {
          namespace: ["v"],
          content: "second",
          key: "b",
          vector: axis(1, dimensions),
          pinned: true,
          importance: 1,
        },
      ]);
      const hits = await memory.recall({
        namespace: ["v"],
        vector: axis(0, dimensions),
        ranking: false,
        recordAccess: false,
      });
      // Pinning and importance would lift "second"; without ranking, similarity alone decides.
      expect(hits.map((hit) => hit.key)).toEqual(["a", "b"]);
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      expect(hits[1]!.score).toBeCloseTo(0.2 / 1.04, 4);
      expect((await memory.get({ namespace: ["v"], key: "a" }))?.accessCount).toBe(0);
      await memory.recall({ namespace: ["v"], vector: axis(0, dimensions) });
      expect((await memory.get({ namespace: ["v"], key: "a" }))?.accessCount).toBe(1);
    });

    it("refuses a vector of other dimensions, or a zero vector, and writes nothing", async () => {
      const { memory, embedder } = await setUp(target);
      const dimensions = embedder.dimensions;
      await memory.remember({ namespace: ["v"], content: "kept", vector: axis(0, dimensions) });
      await expectCode(
        memory.remember({ namespace: ["v"], content: "short", vector: [1, 0] }),
        "DIMENSION_MISMATCH",
      );
      await expectCode(
        memory.remember({
          namespace: ["v"],
          content: "zero",
          vector: axis(0, dimensions).map(() => 0),
        }),
        "INVALID_ARGUMENT",
      );
      await expectCode(memory.recall({ namespace: ["v"], vector: [1, 0] }), "DIMENSION_MISMATCH");
      await expectCode(memory.recall({ namespace: ["v"] }), "INVALID_ARGUMENT");
      expect(await memory.count({ namespace: ["v"] })).toBe(1);
    });

    it("filters by keys and by metadata conditions in recall, list, count and forget", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        {
          namespace: ["m"],
          content: "red apple",
          key: "1",
          metadata: { price: 3, tags: ["fruit", "red"], shop: { city: "Oslo" } },
        },
        {
          namespace: ["m"],
          content: "green apple",
          key: "2",
          metadata: { price: 5, tags: ["fruit"], shop: { city: "Bergen" } },
        },
        {
          namespace: ["m"],
          content: "red car",
          key: "3",
          metadata: { price: 9000, tags: ["red"] },
        },
        { namespace: ["m"], content: "blue apple", key: "4", metadata: { price: "cheap" } },
      ]);
      const keys = async (where: Parameters<typeof memory.count>[0]["where"]) =>
        (await memory.list({ namespace: ["m"], where })).memories.map((m) => m.key).sort();
      expect(await keys({ price: { $gte: 5 } })).toEqual(["2", "3"]);
      expect(await keys({ price: { $lt: 5 } })).toEqual(["1"]);
      expect(await keys({ tags: "red" })).toEqual(["1", "3"]);
      expect(await keys({ tags: { $all: ["fruit", "red"] } })).toEqual(["1"]);
      expect(await keys({ tags: { $nin: ["fruit"] } })).toEqual(["3", "4"]);
      expect(await keys({ "shop.city": { $in: ["Oslo", "Paris"] } })).toEqual(["1"]);
      expect(await keys({ shop: { $exists: false } })).toEqual(["3", "4"]);
      expect(await keys({ $or: [{ price: 3 }, { price: "cheap" }] })).toEqual(["1", "4"]);
      expect(await keys({ $nor: [{ tags: "fruit" }] })).toEqual(["3", "4"]);
      expect(await keys({ price: { $not: { $gt: 4 } } })).toEqual(["1", "4"]);
      expect(await keys({ $and: [{ tags: "red" }, { $not: { price: 3 } }] })).toEqual(["3"]);

      const hits = await memory.recall({
        namespace: ["m"],
        query: "apple",
        where: { price: { $gt: 3 } },
      });
      expect(hits.map((hit) => hit.key).sort()).toEqual(["2", "3"]);
      expect(await memory.count({ namespace: ["m"], keys: ["1", "4", "nope"] })).toBe(2);
      expect(await memory.forget({ namespace: ["m"], where: { tags: "red" } })).toBe(2);
      expect(await memory.count({ namespace: ["m"] })).toBe(2);
    });

    it("refuses an unknown operator with INVALID_ARGUMENT", async () => {
      const { memory } = await setUp(target);
      const bad = { price: { $regex: "^a" } } as unknown as Parameters<
        typeof memory.count
      >[0]["where"];
      await expectCode(memory.count({ namespace: ["m"], where: bad }), "INVALID_ARGUMENT");
      await expectCode(
        memory.list({ namespace: ["m"], where: { $where: "1" } as never }),
        "INVALID_ARGUMENT",
      );
    });
  });
}
