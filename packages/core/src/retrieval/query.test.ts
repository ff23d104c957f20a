import { describe, expect, it } from "vitest";
import { semanticQueryTexts } from "./query.js";

describe("semanticQueryTexts", () => {
  it("pairs a question with its content words", () => {
    expect(semanticQueryTexts(" What database does the team use? ")).toEqual([
      "What database does the team use?",
      "database team use",
    ]);
  });

  it("embeds a query once when it is already just content words", () => {
    expect(semanticQueryTexts("database team")).toEqual(["database team"]);
    expect(semanticQueryTexts("Database Team")).toEqual(["Database Team"]);
  });

  it("keeps a query made only of stop words as written", () => {
    expect(semanticQueryTexts("what is it?")).toEqual(["what is it?"]);
  });
});
