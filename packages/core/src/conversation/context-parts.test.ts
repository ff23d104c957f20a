import { describe, expect, it } from "vitest";
import { estimateTokens } from "../memory/context-block.js";
import { allocate, fitText, renderSelection } from "./context-parts.js";
import type { Message } from "./types.js";

const shares = { workingMemory: 0.2, conversation: 0.4, memories: 0.4 };

describe("allocate", () => {
  it("splits by shares when every part needs more than its share", () => {
    expect(allocate(100, { workingMemory: 500, conversation: 500, memories: 500 }, shares)).toEqual(
      {
        workingMemory: 20,
        conversation: 40,
        memories: 40,
      },
    );
  });

  it("gives a part what it needs and the rest to the others, in proportion", () => {
    expect(allocate(100, { workingMemory: 5, conversation: 500, memories: 500 }, shares)).toEqual({
      workingMemory: 5,
      conversation: 47,
      memories: 47,
    });
    expect(allocate(100, { workingMemory: 5, conversation: 10, memories: 500 }, shares)).toEqual({
      workingMemory: 5,
      conversation: 10,
      memories: 85,
    });
    expect(allocate(100, { workingMemory: 0, conversation: 500, memories: 0 }, shares)).toEqual({
      workingMemory: 0,
      conversation: 100,
      memories: 0,
    });
  });

  it("leaves a part with no share out, and never hands out more than the total", () => {
    const none = { workingMemory: 0, conversation: 1, memories: 0 };
    expect(allocate(50, { workingMemory: 10, conversation: 500, memories: 10 }, none)).toEqual({
      workingMemory: 0,
      conversation: 50,
      memories: 0,
    });
    for (const total of [0, 1, 7, 33, 100, 999]) {
      const budgets = allocate(
        total,
        { workingMemory: 40, conversation: 300, memories: 70 },
        shares,
      );
      expect(budgets.workingMemory + budgets.conversation + budgets.memories).toBeLessThanOrEqual(
        total,
      );
    }
    expect(allocate(-5, { workingMemory: 1, conversation: 1, memories: 1 }, shares)).toEqual({
      workingMemory: 0,
      conversation: 0,
      memories: 0,
    });
  });
});

describe("fitText", () => {
  const render = (text: string) => `## Notes\n${text}`;

  it("keeps text that fits and cuts text that does not, with an ellipsis", () => {
    expect(fitText("short", 100, estimateTokens, render)).toBe("short");
    const long = "word ".repeat(100).trim();
    const cut = fitText(long, 20, estimateTokens, render)!;
    expect(cut.endsWith("…")).toBe(true);
    expect(estimateTokens(render(cut))).toBeLessThanOrEqual(20);
    expect(estimateTokens(render(`${long.slice(0, cut.length)}x…`))).toBeGreaterThan(20);
    expect(fitText(long, 2, estimateTokens, render)).toBeUndefined();
  });
});

describe("renderSelection", () => {
  it("renders sections in order, one line per message", () => {
    const message = (role: Message["role"], content: Message["content"]) =>
      ({ role, content }) as Message;
    const text = renderSelection(
      {
        workingMemory: {
          document: { content: "x", version: 1, updatedAt: new Date(0) },
          text: "name: Alice",
        },
        summary: "They talked about dinner.",
        messages: [
          message("user", "Where\nto eat?"),
          message("assistant", [{ type: "text", text: "Green Leaf" }]),
        ],
        memories: [],
      },
      "text",
    );
    expect(text).toBe(
      [
        "Working memory:\nname: Alice",
        "Summary of the earlier conversation:\nThey talked about dinner.",
        "Recent messages:\nuser: Where to eat?\nassistant: Green Leaf",
      ].join("\n\n"),
    );
  });
});
