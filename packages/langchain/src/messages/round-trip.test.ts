import {
  AIMessage,
  type BaseMessage,
  ChatMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import type { Message, MessageInput } from "./conversation-types.js";
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

/** Every field of a LangChain message that a round trip must keep. */
function fields(message: BaseMessage) {
  return {
    type: message.getType(),
    content: message.content,
    id: message.id,
    name: message.name,
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
    ...(AIMessage.isInstance(message)
      ? {
          tool_calls: message.tool_calls,
          invalid_tool_calls: message.invalid_tool_calls,
          usage_metadata: message.usage_metadata,
        }
      : {}),
    ...(ToolMessage.isInstance(message)
      ? { tool_call_id: message.tool_call_id, status: message.status, artifact: message.artifact }
      : {}),
    ...(ChatMessage.isInstance(message) ? { role: message.role } : {}),
  };
}

const conversation: BaseMessage[] = [
  new SystemMessage({ id: "m0", content: "You are a travel agent." }),
  new HumanMessage({ id: "m1", content: "Book me to Oslo", name: "alice" }),
  new HumanMessage({
    id: "m2",
    content: [
      { type: "text", text: "Here is my passport" },
      { type: "image_url", image_url: { url: "https://example.com/passport.png" } },
    ],
  }),
  new AIMessage({
    id: "m3",
    content: "",
    tool_calls: [
      {
        id: "call-1",
        name: "search_flights",
        args: { to: "OSL", day: "Monday" },
        type: "tool_call",
      },
      { id: "call-2", name: "search_hotels", args: { city: "Oslo", nights: 2 }, type: "tool_call" },
    ],
    response_metadata: { model_name: "fake", finish_reason: "tool_calls" },
    usage_metadata: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
  }),
  new ToolMessage({
    id: "m4",
    content: "Flight SK123 at 09:00",
    tool_call_id: "call-1",
    name: "search_flights",
    status: "success",
    artifact: { flights: [{ number: "SK123" }] },
  }),
  new ToolMessage({
    id: "m5",
    content: [{ type: "text", text: "No hotels found" }],
    tool_call_id: "call-2",
    name: "search_hotels",
    status: "error",
  }),
  new AIMessage({
    id: "m6",
    content: "Let me check one more thing.",
    tool_calls: [{ id: "call-3", name: "search_trains", args: {}, type: "tool_call" }],
    invalid_tool_calls: [
      {
        id: "call-4",
        name: "bad",
        args: "{not json",
        error: "parse error",
        type: "invalid_tool_call",
      },
    ],
    additional_kwargs: { refusal: null },
  }),
  new ToolMessage({ id: "m7", content: "none", tool_call_id: "call-3" }),
  new AIMessage({
    id: "m8",
    content: [
      { type: "reasoning", reasoning: "The user wants Monday." },
      { type: "text", text: "Booked SK123 on Monday." },
    ],
  }),
  new ChatMessage({ id: "m9", content: "Looks good", role: "critic" }),
];

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
