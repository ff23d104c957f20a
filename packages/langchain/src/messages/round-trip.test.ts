import type { Message, MessageInput } from "@engram/core";
import { AIMessage, HumanMessage, RemoveMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { conversation, fields } from "../../test/conversation.js";
import { fromEngramMessage } from "./from-engram-message.js";
import { toEngramMessage } from "./to-engram-message.js";

// What a backend hands back: the input after a JSON round trip, with an id and a time.
function stored(input: MessageInput, index = 0): Message {
  return JSON.parse(
    JSON.stringify({
      id: input.id ?? `generated-${index}`,
      threadId: "thread",
      namespace: ["users", "alice"],
      role: input.role,
      content: input.content,
      metadata: input.metadata ?? {},
      createdAt: new Date(0),
    }),
  );
}

describe("toEngramMessage / fromEngramMessage", () => {
  it("round-trips human, AI, system, tool and chat messages exactly, tool calls included", () => {
    const back = conversation.flatMap((message, index) =>
      fromEngramMessage(stored(toEngramMessage(message), index)),
    );
    expect(back.map(fields)).toEqual(conversation.map(fields));
    expect(back.map((message) => message.constructor)).toEqual(
      conversation.map((message) => message.constructor),
    );
  });

  it("stores tool calls and results in Engram's conventional parts, and plain text as text", () => {
    const [system, human, , calls, result] = conversation.map(toEngramMessage);
    expect(system).toMatchObject({ id: "m0", role: "system", content: "You are a travel agent." });
    expect(human?.content).toBe("Book me to Oslo");
    expect(calls?.role).toBe("assistant");
    expect(calls?.content).toEqual([
      {
        type: "tool-call",
        toolCallId: "call-1",
        toolName: "search_flights",
        input: { to: "OSL", day: "Monday" },
      },
      {
        type: "tool-call",
        toolCallId: "call-2",
        toolName: "search_hotels",
        input: { city: "Oslo", nights: 2 },
      },
    ]);
    expect(result).toMatchObject({
      role: "tool",
      content: [
        {
          type: "tool-result",
          toolCallId: "call-1",
          toolName: "search_flights",
          output: "Flight SK123 at 09:00",
        },
      ],
    });
  });

  it("gives a message without an id the id it was stored under", () => {
    const [back] = fromEngramMessage(stored(toEngramMessage(new HumanMessage("hi")), 7));
    expect(back?.id).toBe("generated-7");
    expect(back?.content).toBe("hi");
  });

  it("reads messages another adapter wrote, one ToolMessage per tool result", () => {
    const base = {
      threadId: "t",
      namespace: ["users", "alice"],
      metadata: {},
      createdAt: new Date(0),
    };
    const assistant = fromEngramMessage({
      ...base,
      id: "a1",
      role: "assistant",
      content: [
        { type: "text", text: "Checking the weather." },
        { type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Oslo" } },
        { type: "tool-call", toolCallId: "c2", toolName: "weather", input: { city: "Bergen" } },
      ],
    });
    expect(assistant).toHaveLength(1);
    expect(AIMessage.isInstance(assistant[0])).toBe(true);
    expect((assistant[0] as AIMessage).tool_calls).toEqual([
      { type: "tool_call", id: "c1", name: "weather", args: { city: "Oslo" } },
      { type: "tool_call", id: "c2", name: "weather", args: { city: "Bergen" } },
    ]);
    expect(assistant[0]?.content).toEqual([{ type: "text", text: "Checking the weather." }]);

    const tools = fromEngramMessage({
      ...base,
      id: "t1",
      role: "tool",
      content: [
        { type: "tool-result", toolCallId: "c1", toolName: "weather", output: { celsius: 4 } },
        {
          type: "tool-result",
          toolCallId: "c2",
          toolName: "weather",
          output: "rain",
          isError: true,
        },
      ],
    });
    expect(tools.map(fields)).toEqual([
      expect.objectContaining({
        type: "tool",
        id: "t1",
        name: "weather",
        content: '{"celsius":4}',
        tool_call_id: "c1",
        status: "success",
      }),
      expect.objectContaining({
        type: "tool",
        id: "t1#1",
        content: "rain",
        tool_call_id: "c2",
        status: "error",
      }),
    ]);
  });

  it("refuses messages that are not part of a conversation", () => {
    expect(() => toEngramMessage(new RemoveMessage({ id: "m1" }))).toThrow(/cannot be stored/);
  });
});
