import { describe, expect, it } from "vitest";
import type { PromptMessageLike } from "./spec.js";
import { newInputMessages, replyMessage, toMessageContent } from "./turn.js";

const at = new Date("2026-01-01T00:00:00Z");
const text = (value: string) => ({ type: "text", text: value }) as never;

describe("newInputMessages", () => {
  it("takes what follows the last assistant message: the user's new message", () => {
    const prompt: PromptMessageLike[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: [text("Hi")] },
      { role: "assistant", content: [text("Hello")] },
      { role: "user", content: [text("Book a room")] },
    ];
    expect(newInputMessages(prompt, at)).toEqual([
      { role: "user", content: "Book a room", createdAt: at },
    ]);
  });

  it("in a tool loop's next step, takes the tool results", () => {
    const prompt: PromptMessageLike[] = [
      { role: "user", content: [text("Book a room")] },
      {
        role: "assistant",
        content: [
          { type: "tool-call", toolCallId: "c1", toolName: "book", input: { room: "A" } } as never,
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "c1",
            toolName: "book",
            output: { type: "json", value: { ok: true } },
            providerOptions: { x: {} },
          } as never,
        ],
      },
    ];
    expect(newInputMessages(prompt, at)).toEqual([
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "c1",
            toolName: "book",
            output: { type: "json", value: { ok: true } },
          },
        ],
        createdAt: at,
      },
    ]);
  });

  it("takes every message of a first call, system messages aside", () => {
    const prompt: PromptMessageLike[] = [
      { role: "system", content: "S" },
      { role: "user", content: [text("a")] },
      { role: "user", content: [text("b")] },
    ];
    expect(newInputMessages(prompt, at).map((message) => message.content)).toEqual(["a", "b"]);
  });
});

describe("toMessageContent and replyMessage", () => {
  it("stores tool-call input as JSON and keeps file references without their bytes", () => {
    expect(
      toMessageContent([
        text("Here"),
        { type: "tool-call", toolCallId: "c1", toolName: "t", input: '{"a":1}' } as never,
        { type: "file", mediaType: "image/png", data: new Uint8Array([1, 2]) } as never,
        { type: "file", mediaType: "image/png", data: "iVBORw0KGgo=" } as never,
        {
          type: "file",
          mediaType: "image/png",
          data: new URL("https://example.com/a.png"),
        } as never,
      ]),
    ).toEqual([
      { type: "text", text: "Here" },
      { type: "tool-call", toolCallId: "c1", toolName: "t", input: { a: 1 } },
      { type: "file", mediaType: "image/png" },
      { type: "file", mediaType: "image/png" },
      { type: "file", mediaType: "image/png", data: "https://example.com/a.png" },
    ]);
  });

  it("joins text-only replies into a string and drops an empty reply", () => {
    expect(replyMessage([text("Hel"), text("lo")], at, { model: "m" })).toEqual({
      role: "assistant",
      content: "Hello",
      createdAt: at,
      metadata: { model: "m" },
    });
    expect(replyMessage([text("")], at, {})).toBeUndefined();
  });
});
