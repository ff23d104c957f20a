import { EngramError } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { EngramVector } from "../src/index.js";
import { backends, type TestMemory } from "./backends.js";

/** What EngramVector adds to or refuses of Mastra's interface, on each backend. */
describe.each(backends)("EngramVector specifics ($name)", (backend) => {
  let opened: TestMemory | undefined;
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });
  const open = async () => {
    const embedder = createTestEmbedder({ dimensions: 64 });
    opened = await backend.open(embedder);
    const vector = new EngramVector({ memory: opened.memory });
    await vector.createIndex({ indexName: "docs", dimension: 64 });
    const texts = [
      "The deploy runs on Tuesdays",
      "Lunch is at noon",
      "Postgres is the main database",
    ];
    await vector.upsert({
      indexName: "docs",
      ids: ["d1", "d2", "d3"],
      vectors: (await embedder.embed(texts)).map((each) => Array.from(each)),
      metadata: texts.map((text) => ({ text })),
    });
    return { vector, embedder };
  };
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => "resolved",
      (error: unknown) => (EngramError.isInstance(error) ? error.code : String(error)),
    );

  it("runs hybrid recall when given the query text", async () => {
    const { vector, embedder } = await open();
    const [queryVector] = await embedder.embed(["which database do we use"]);
    const hits = await vector.query({
      indexName: "docs",
      queryVector: Array.from(queryVector!),
      queryText: "Postgres database",
      topK: 1,
    });
    expect(hits.map((hit) => hit.id)).toEqual(["d3"]);
    expect(hits[0]!.metadata).toEqual({ text: "Postgres is the main database" });
  });

  it("refuses what Engram cannot do with a clear error, writing nothing", async () => {
    const { vector } = await open();
    const query = (filter: unknown) =>
      code(
        vector.query({
          indexName: "docs",
          queryVector: Array(64).fill(1),
          filter: filter as never,
        }),
      );
    expect(await query({ text: { $regex: "^The" } })).toBe("INVALID_ARGUMENT");
    expect(await query({ text: { $elemMatch: { $eq: 1 } } })).toBe("INVALID_ARGUMENT");
    expect(await query({ text: { $near: 1 } })).toBe("INVALID_ARGUMENT");
    expect(
      await code(vector.createIndex({ indexName: "l2", dimension: 64, metric: "euclidean" })),
    ).toBe("INVALID_ARGUMENT");
    expect(await code(vector.createIndex({ indexName: "docs", dimension: 8 }))).toBe(
      "DIMENSION_MISMATCH",
    );
    expect(await code(vector.createIndex({ indexName: "bad/name", dimension: 64 }))).toBe(
      "INVALID_NAMESPACE",
    );
    expect(await code(vector.upsert({ indexName: "missing", vectors: [Array(64).fill(1)] }))).toBe(
      "NOT_FOUND",
    );
    expect(await code(vector.deleteVectors({ indexName: "docs" }))).toBe("INVALID_ARGUMENT");
    expect(await vector.listIndexes()).toEqual(["docs"]);
    expect((await vector.describeIndex({ indexName: "docs" })).count).toBe(3);
  });

  it("keeps each index in its own namespace, so an index is erased with forgetNamespace", async () => {
    const { vector } = await open();
    const { memories } = await opened!.memory.list({
      namespace: ["mastra", "vectors", "indexes", "docs"],
    });
    expect(memories.map((memory) => memory.key).sort()).toEqual(["d1", "d2", "d3"]);
    await opened!.memory.forgetNamespace(["mastra", "vectors", "indexes", "docs"]);
    expect((await vector.describeIndex({ indexName: "docs" })).count).toBe(0);
  });
});
