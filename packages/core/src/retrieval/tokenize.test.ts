import { describe, expect, it } from "vitest";
import { indexTerms, keywordTerms, words } from "./tokenize.js";

describe("keywordTerms", () => {
  it("keeps topic words, lowercased and folded, once each", () => {
    expect(keywordTerms("What database does the team use? The TEAM's Café!")).toEqual([
      "database",
      "team",
      "use",
      "cafe",
    ]);
  });

  it("treats query syntax as plain text", () => {
    expect(keywordTerms('x) | (@kind:{y} "NEAR" OR *')).toEqual(["x", "kind", "y", "near"]);
  });

  it("returns nothing for stop words alone", () => {
    expect(keywordTerms("what is it?")).toEqual([]);
  });
});

describe("words", () => {
  it("splits ASCII text as it splits text with other characters", () => {
    const ascii = "It's 10:30 AM_on Mon.\tCall Bob@example.com re: PR#42 (urgent)!\u0001END ~x";
    expect(words(ascii)).toEqual(words(`${ascii} é`).slice(0, -1));
    expect(words(ascii)).toEqual(
      "it s 10 30 am on mon call bob example com re pr 42 urgent end x".split(" "),
    );
  });
  it("splits on anything but letters and digits, as SQLite's unicode61 tokenizer", () => {
    expect(words("Caroline's café, 10-July!")).toEqual(["caroline", "s", "cafe", "10", "july"]);
  });
});

describe("indexTerms", () => {
  it("stems every word and keeps stop words and repeats, which count for length", () => {
    expect(indexTerms("She was adopting; they adopted the puppies")).toEqual([
      "she",
      "wa",
      "adopt",
      "thei",
      "adopt",
      "the",
      "puppi",
    ]);
  });

  it("leaves query terms unstemmed, for a backend index to stem its own way", () => {
    expect(keywordTerms("adopting puppies")).toEqual(["adopting", "puppies"]);
  });
});
