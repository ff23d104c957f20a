import { describe, expect, it } from "vitest";
import { estimateTokens, renderContext } from "./context-block.js";
import type { RecalledMemory } from "./types.js";

const memory = (id: string, kind: string, content: string, score: number) =>
  ({ id, kind, content, score }) as RecalledMemory;

describe("renderContext", () => {
  it("groups by kind in order of each group's best memory, citing ids", () => {
    const text = renderContext(
      [
        memory("a", "fact", "Uses PostgreSQL", 0.9),
        memory("b", "preference", "Likes dark mode", 0.8),
        memory("c", "fact", "Deploys on Tuesdays\nand Thursdays", 0.7),
        memory("d", "decision", "Chose Redis for caching", 0.6),
      ],
      "markdown",
    );
    expect(text).toBe(
      [
        "## Facts",
        "- Uses PostgreSQL [a]",
        "- Deploys on Tuesdays and Thursdays [c]",
        "",
        "## Preferences",
        "- Likes dark mode [b]",
        "",
        "## decision",
        "- Chose Redis for caching [d]",
      ].join("\n"),
    );
    expect(renderContext([memory("a", "task", "Ship it", 1)], "text")).toBe(
      "Tasks:\n- Ship it [a]",
    );
    expect(renderContext([], "markdown")).toBe("");
  });
});

describe("estimateTokens", () => {
  it("estimates four characters a token, rounding up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
  });
});
