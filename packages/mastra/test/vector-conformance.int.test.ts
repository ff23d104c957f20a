import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestEmbedder } from "@engram/core/testing";
import type { MastraVector } from "@mastra/core/vector";
import { LibSQLVector } from "@mastra/libsql";
import { afterEach, describe, expect, it } from "vitest";
import { EngramVector } from "../src/index.js";
import { backends } from "./backends.js";

const DIMENSIONS = 4;

/**
 * A MastraVector as Mastra documents it, written once and run on EngramVector over each backend
 * and on Mastra's LibSQLVector: the reference passing the same cases shows they describe
 * Mastra's behaviour, not ours.
 */
const targets: {
  name: string;
  open(): Promise<{ vector: MastraVector; cleanup(): Promise<void> }>;
}[] = [
  ...backends.map((backend) => ({
    name: `EngramVector on ${backend.name}`,
    async open() {
      const opened = await backend.open(createTestEmbedder({ dimensions: DIMENSIONS }));
      return { vector: new EngramVector({ memory: opened.memory }), cleanup: opened.cleanup };
    },
  })),
  {
    name: "LibSQLVector (reference)",
    async open() {
      const dir = mkdtempSync(join(tmpdir(), "engram-libsql-"));
      const vector = new LibSQLVector({ id: "reference", url: `file:${join(dir, "vectors.db")}` });
      return {
        vector,
        async cleanup() {
          await (vector as unknown as { close?: () => Promise<void> }).close?.();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

const products = [
  {
    id: "p1",
    vector: [1, 0, 0, 0],
    metadata: { name: "apple", price: 3, tags: ["fruit", "red"], stock: { city: "Oslo" } },
  },
  {
    id: "p2",
    vector: [0.9, 0.1, 0, 0],
    metadata: { name: "pear", price: 5, tags: ["fruit"], stock: { city: "Bergen" } },
  },
  { id: "p3", vector: [0, 1, 0, 0], metadata: { name: "car", price: 9000, tags: ["red"] } },
  { id: "p4", vector: [0, 0, 1, 0], metadata: { name: "boat", price: 20000, sold: true } },
];

describe.each(targets)("MastraVector: $name", (target) => {
  let vector: MastraVector;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
  const open = async () => {
    const opened = await target.open();
    vector = opened.vector;
    cleanup = opened.cleanup;
    await vector.createIndex({ indexName: "products", dimension: DIMENSIONS, metric: "cosine" });
    await vector.upsert({
      indexName: "products",
      ids: products.map((each) => each.id),
      vectors: products.map((each) => each.vector),
      metadata: products.map((each) => each.metadata),
    });
  };
  const ids = async (filter: Record<string, unknown>) =>
    (
      await vector.query({
        indexName: "products",
        queryVector: [1, 1, 1, 1],
        topK: 10,
        filter: filter as never,
      })
    )
      .map((hit) => hit.id)
      .sort();

  it("creates, lists, describes and deletes indexes", async () => {
    await open();
    await vector.createIndex({ indexName: "products", dimension: DIMENSIONS, metric: "cosine" });
    await vector.createIndex({ indexName: "other", dimension: DIMENSIONS });
    expect((await vector.listIndexes()).sort()).toEqual(["other", "products"]);
    expect(await vector.describeIndex({ indexName: "products" })).toMatchObject({
      dimension: DIMENSIONS,
      count: 4,
      metric: "cosine",
    });
    await vector.deleteIndex({ indexName: "products" });
    expect(await vector.listIndexes()).toEqual(["other"]);
  });

  it("queries nearest first, with scores, metadata and topK", async () => {
    await open();
    const hits = await vector.query({ indexName: "products", queryVector: [1, 0, 0, 0], topK: 2 });
    expect(hits.map((hit) => hit.id)).toEqual(["p1", "p2"]);
    expect(hits[0]!.score).toBeCloseTo(1, 4);
    expect(hits[1]!.score).toBeLessThan(hits[0]!.score);
    expect(hits[0]!.metadata).toMatchObject({ name: "apple", price: 3 });
  });

  it("filters with Mastra's operators", async () => {
    await open();
    expect(await ids({ name: "apple" })).toEqual(["p1"]);
    expect(await ids({ price: { $gt: 5 } })).toEqual(["p3", "p4"]);
    expect(await ids({ price: { $gte: 5, $lte: 9000 } })).toEqual(["p2", "p3"]);
    expect(await ids({ price: { $lt: 5 } })).toEqual(["p1"]);
    expect(await ids({ name: { $ne: "car" } })).toEqual(["p1", "p2", "p4"]);
    expect(await ids({ name: { $in: ["apple", "boat"] } })).toEqual(["p1", "p4"]);
    expect(await ids({ name: { $nin: ["apple", "boat"] } })).toEqual(["p2", "p3"]);
    expect(await ids({ tags: { $all: ["fruit", "red"] } })).toEqual(["p1"]);
    expect(await ids({ sold: { $exists: true } })).toEqual(["p4"]);
    expect(await ids({ "stock.city": "Oslo" })).toEqual(["p1"]);
    expect(await ids({ $or: [{ name: "apple" }, { price: { $gt: 10000 } }] })).toEqual([
      "p1",
      "p4",
    ]);
    expect(await ids({ $and: [{ price: { $gt: 1 } }, { price: { $lt: 100 } }] })).toEqual([
      "p1",
      "p2",
    ]);
    expect(await ids({ $nor: [{ name: "apple" }, { name: "pear" }] })).toEqual(["p3", "p4"]);
    expect(await ids({ price: { $not: { $gt: 5 } } })).toEqual(["p1", "p2"]);
  });

  it("replaces a vector upserted again under its id", async () => {
    await open();
    await vector.upsert({
      indexName: "products",
      ids: ["p1"],
      vectors: [[0, 0, 0, 1]],
      metadata: [{ name: "plum" }],
    });
    const [best] = await vector.query({
      indexName: "products",
      queryVector: [0, 0, 0, 1],
      topK: 1,
    });
    expect(best).toMatchObject({ id: "p1", metadata: { name: "plum" } });
    expect((await vector.describeIndex({ indexName: "products" })).count).toBe(4);
  });

  it("updates a vector's metadata or vector by id", async () => {
    await open();
    await vector.updateVector({
      indexName: "products",
      id: "p3",
      update: { metadata: { name: "truck", price: 1 } },
    });
    expect(await ids({ name: "truck" })).toEqual(["p3"]);
    await vector.updateVector({
      indexName: "products",
      id: "p3",
      update: { vector: [0, 0, 0, 1] },
    });
    const [best] = await vector.query({
      indexName: "products",
      queryVector: [0, 0, 0, 1],
      topK: 1,
    });
    expect(best).toMatchObject({ id: "p3", metadata: { name: "truck" } });
  });

  it("deletes one vector, several by id, and several by filter", async () => {
    await open();
    await vector.deleteVector({ indexName: "products", id: "p1" });
    expect(await ids({})).toEqual(["p2", "p3", "p4"]);
    await vector.deleteVectors({ indexName: "products", ids: ["p2", "p3"] });
    expect(await ids({})).toEqual(["p4"]);
    await vector.upsert({
      indexName: "products",
      ids: ["p5", "p6"],
      vectors: [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
      ],
      metadata: [{ batch: 1 }, { batch: 2 }],
    });
    await vector.deleteVectors({ indexName: "products", filter: { batch: 1 } });
    expect(await ids({})).toEqual(["p4", "p6"]);
  });

  it("refuses a vector whose dimension differs from the index's", async () => {
    await open();
    await expect(
      vector.upsert({ indexName: "products", vectors: [[1, 0]], metadata: [{}] }),
    ).rejects.toThrow();
  });
});
