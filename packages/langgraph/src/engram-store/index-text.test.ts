import { describe, expect, it } from "vitest";
import { indexText, textsAtPath } from "./index-text.js";

const value = {
  title: "Gardening",
  year: 2024,
  draft: false,
  meta: { author: { name: "Ana" } },
  chapters: [{ text: "Roses" }, { text: "Soil" }, { text: "Water" }],
  tags: ["a", "b"],
};

describe("textsAtPath", () => {
  it("follows LangGraph's path syntax", () => {
    expect(textsAtPath(value, "$")).toEqual([JSON.stringify(value, null, 2)]);
    expect(textsAtPath(value, "title")).toEqual(["Gardening"]);
    expect(textsAtPath(value, "year")).toEqual(["2024"]);
    expect(textsAtPath(value, "draft")).toEqual(["false"]);
    expect(textsAtPath(value, "meta.author.name")).toEqual(["Ana"]);
    expect(textsAtPath(value, "chapters[*].text")).toEqual(["Roses", "Soil", "Water"]);
    expect(textsAtPath(value, "chapters[0].text")).toEqual(["Roses"]);
    expect(textsAtPath(value, "chapters[-1].text")).toEqual(["Water"]);
    expect(textsAtPath(value, "chapters[9].text")).toEqual([]);
    expect(textsAtPath(value, "meta.author")).toEqual([JSON.stringify({ name: "Ana" }, null, 2)]);
    expect(textsAtPath(value, "missing.path")).toEqual([]);
    expect(textsAtPath({ a: { x: "1" }, b: { x: "2" } }, "*.x")).toEqual(["1", "2"]);
  });

  it("joins the texts of several fields, one paragraph each", () => {
    expect(indexText(value, ["title", "tags[*]"])).toBe("Gardening\n\na\n\nb");
    expect(indexText(value, ["missing"])).toBe("");
  });
});
