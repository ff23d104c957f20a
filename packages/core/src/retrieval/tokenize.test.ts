import { describe, expect, it } from "vitest";
import { keywordTerms } from "./tokenize.js";

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
