import { describe, expect, it } from "vitest";
import { PIECE_CHARACTERS, splitIntoWindows } from "./text-windows.js";

describe("splitIntoWindows", () => {
  it("keeps short text whole, the empty string included", () => {
    expect(splitIntoWindows("One sentence.")).toEqual(["One sentence."]);
    expect(splitIntoWindows("")).toEqual([""]);
    expect(splitIntoWindows("x".repeat(PIECE_CHARACTERS))).toHaveLength(1);
  });

  it("cuts after a sentence when one ends in the window's second half", () => {
    const text = "Aaaa aaaa. Bbbb bbbb. Cccc cccc.";
    const windows = splitIntoWindows(text, 24);
    expect(windows).toEqual(["Aaaa aaaa. Bbbb bbbb. ", "Cccc cccc."]);
  });

  it("falls back to whitespace, then to a hard cut inside one long word", () => {
    expect(splitIntoWindows("aaa bbb ccc ddd", 9)).toEqual(["aaa bbb ", "ccc ddd"]);
    expect(splitIntoWindows("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("never splits a surrogate pair", () => {
    const windows = splitIntoWindows("ab😀cd", 3);
    expect(windows).toEqual(["ab", "😀c", "d"]);
  });

  it("bounds every window and gives the text back when joined", () => {
    let text = "";
    for (let i = 0; text.length < 33_000; i++) {
      text += i % 17 === 0 ? "Line break here\n" : `word${i}${i % 11 === 0 ? ". " : " "}`;
    }
    const windows = splitIntoWindows(text);
    expect(windows.join("")).toBe(text);
    expect(windows.length).toBeGreaterThanOrEqual(66);
    for (const window of windows) expect(window.length).toBeLessThanOrEqual(PIECE_CHARACTERS);
    // Cuts land on boundaries: no window starts inside a word.
    for (const window of windows.slice(1)) expect(window).toMatch(/^word\d|^Line/);
  });

  it("refuses a window too small to make progress", () => {
    expect(() => splitIntoWindows("abc", 1)).toThrow(RangeError);
  });
});
