import {
  AIMessage,
  type BaseMessage,
  ChatMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";

/** Every field of a LangChain message that a round trip must keep. */
export function fields(message: BaseMessage) {
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

/** A conversation with every message type, tool calls, blocks and metadata. */
export const conversation: BaseMessage[] = [
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
