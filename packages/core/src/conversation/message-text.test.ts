import { describe, expect, it } from "vitest";
import { messageText } from "./message-text.js";

describe("messageText", () => {
  it("is the string of a plain message", () => {
    expect(messageText({ content: "hello" })).toBe("hello");
    expect(messageText({ content: "" })).toBe("");
  });

  it("joins the text parts of a structured message and skips the rest", () => {
    expect(
      messageText({
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } },
          { type: "reasoning", text: "not shown" },
          { type: "text", text: "It is sunny." },
        ],
      }),
    ).toBe("Let me check.\nIt is sunny.");
    expect(
      messageText({
        content: [{ type: "tool-result", toolCallId: "c1", toolName: "w", output: 1 }],
      }),
    ).toBe("");
  });
});
