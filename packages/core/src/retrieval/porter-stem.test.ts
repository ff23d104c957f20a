import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { porterStem } from "./porter-stem.js";

// Words that exercise every step of the algorithm (plural, -ed/-ing, y, the suffix tables, -e).
const VOCABULARY = (
  "caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled " +
  "sized hopping tanned falling hissing fizzed failing filing happy sky relational conditional " +
  "rational valenci digitizer conformabli radicalli differentli vileli analogousli " +
  "vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti " +
  "sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness " +
  "revival allowance inference airliner gyroscopic adjustable defensible irritant replacement " +
  "adjustment dependent adoption homologous communism activate angulariti effective bowdlerize " +
  "probate rate cease controll roll generalization oscillators researching adopting agencies " +
  "painted paintings sunrise yesterday 2023s ms 10july ies yes eyes"
).split(" ");

describe("porterStem", () => {
  it("reduces word forms to one stem", () => {
    expect(["adopt", "adopted", "adopting", "adoption", "adopts"].map(porterStem)).toEqual(
      Array(5).fill("adopt"),
    );
    expect(porterStem("caresses")).toBe("caress");
    expect(porterStem("ponies")).toBe("poni");
    expect(porterStem("hopping")).toBe("hop");
    expect(porterStem("relational")).toBe("relat");
    expect(porterStem("generalization")).toBe("gener");
    expect(porterStem("happy")).toBe("happi");
  });

  it("leaves short and very long words alone", () => {
    expect(porterStem("is")).toBe("is");
    const long = `${"a".repeat(65)}ing`;
    expect(porterStem(long)).toBe(long);
  });

  it("counts a word's length in UTF-8 bytes, as FTS5 does", () => {
    const bytes = (word: string) => new TextEncoder().encode(word).length;
    // "a", then 2-, 3- or 4-byte characters or lone surrogates (each encoded as U+FFFD, 3
    // bytes), then "ing": stemmed at up to 64 bytes, left alone above.
    for (const [filler, size] of [
      ["é", 2],
      ["€", 3],
      ["😀", 4],
      ["\ud800", 3],
    ] as const) {
      const fits = Math.floor(60 / size);
      const longest = `a${filler.repeat(fits)}ing`;
      const over = `a${filler.repeat(fits + 1)}ing`;
      expect(bytes(longest)).toBeLessThanOrEqual(64);
      expect(bytes(over)).toBeGreaterThan(64);
      expect(porterStem(longest)).not.toBe(longest);
      expect(porterStem(over)).toBe(over);
    }
    expect(porterStem("é")).toBe("é");
  });

  it("stems as SQLite's FTS5 porter tokenizer does", () => {
    const database = new DatabaseSync(":memory:");
    database.exec(
      "CREATE VIRTUAL TABLE words USING fts5 (word, tokenize = 'porter unicode61 remove_diacritics 2');" +
        "CREATE VIRTUAL TABLE stems USING fts5vocab (words, instance);",
    );
    const insert = database.prepare("INSERT INTO words (rowid, word) VALUES (?, ?)");
    for (const [i, word] of VOCABULARY.entries()) insert.run(i + 1, word);
    const rows = database.prepare("SELECT term, doc FROM stems ORDER BY doc").all() as {
      term: string;
      doc: number;
    }[];
    database.close();
    expect(rows).toHaveLength(VOCABULARY.length);
    expect(rows.map((row) => porterStem(VOCABULARY[row.doc - 1]!))).toEqual(
      rows.map((row) => row.term),
    );
  });
});
