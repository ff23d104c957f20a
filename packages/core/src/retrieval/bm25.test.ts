import { describe, expect, it } from "vitest";
import { bm25, bm25DocumentCache, toBm25Document } from "./bm25.js";

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

describe("bm25 word forms and scope", () => {
  it("matches word forms through their Porter stems", () => {
    const notes = ["Caroline is researching adoption agencies", "Melanie painted a sunrise"].map(
      (text, i) => toBm25Document(i, text),
    );
    expect(bm25(notes, "adopting agency", 10).map((h) => h.item)).toEqual([0]);
    expect(bm25(notes, "paintings", 10).map((h) => h.item)).toEqual([1]);
  });

  it("scores matching documents alone exactly as within their whole scope", () => {
    const scope = [
      "the quasar was bright",
      "a zebra crossed the road",
      "notes about nothing",
      "more notes",
      "zebra and quasar together",
    ].map((text, i) => toBm25Document(i, text));
    const matching = [scope[0]!, scope[1]!, scope[4]!];
    expect(bm25(matching, "quasar zebra", 10, scope.length)).toEqual(
      bm25(scope, "quasar zebra", 10),
    );
  });

  it("weighs a term by its rarity in the scope size given", () => {
    const pair = ["quasar quasar notes", "zebra notes here"].map((text, i) =>
      toBm25Document(i, text),
    );
    // Two matching documents of two: both terms are everywhere-ish; of a thousand, both rare.
    const [small] = bm25(pair, "quasar zebra", 10, 2);
    const [large] = bm25(pair, "quasar zebra", 10, 1000);
    expect(large!.score).toBeGreaterThan(small!.score);
  });
});

describe("bm25DocumentCache", () => {
  it("reuses a text's terms by content hash, each time with the item asked for", () => {
    const prepare = bm25DocumentCache(2);
    const first = prepare("a", "h1", "adopted puppies");
    const again = prepare("b", "h1", "ignored: the hash decides");
    expect(again.item).toBe("b");
    expect(again.counts).toBe(first.counts);
    prepare("c", "h2", "x");
    prepare("d", "h3", "y"); // past the bound: forgotten, then filled again
    expect(prepare("e", "h1", "dogs").counts.has("dog")).toBe(true);
  });
});
