import { describe, expect, it } from "vitest";
import { bm25, toBm25Document } from "./bm25.js";

const docs = [
  "The team uses PostgreSQL for the main database",
  "The database backups run nightly",
  "The office dog is called Biscuit",
  "Biscuit likes the database room",
].map((text, i) => toBm25Document(i, text));

describe("bm25", () => {
  it("ranks by rare shared terms and returns matches only", () => {
    const hits = bm25(docs, "postgresql database", 10);
    expect(hits[0]!.item).toBe(0);
    expect(hits.map((h) => h.item).sort()).toEqual([0, 1, 3]);
    expect(
      bm25(docs, "biscuit", 10)
        .map((h) => h.item)
        .sort(),
    ).toEqual([2, 3]);
  });

  it("finds nothing for stop words or an empty scope", () => {
    expect(bm25(docs, "the is it", 10)).toEqual([]);
    expect(bm25([], "database", 10)).toEqual([]);
  });

  it("judges rarity within the documents given", () => {
    // "database" is in 3 of 4 documents here, so it weighs less than the rarer "nightly".
    const [best] = bm25(docs, "database nightly", 10);
    expect(best!.item).toBe(1);
  });
});
