import type { JsonObject, JsonValue, Message, MessagePart } from "@engram/core";
import {
  AIMessage,
  type BaseMessage,
  ChatMessage,
  HumanMessage,
  type InvalidToolCall,
  type MessageContent as LangChainContent,
  SystemMessage,
  type ToolCall,
  ToolMessage,
} from "@langchain/core/messages";
import { type Envelope, readEnvelope } from "./envelope.js";

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toolCallOf(part: MessagePart, withoutId: boolean): ToolCall {
  const args = isObject(part.input) ? part.input : { input: part.input ?? null };
  return {
    type: "tool_call",
    name: String(part.toolName ?? ""),
    args,
    ...(withoutId ? {} : { id: String(part.toolCallId ?? "") }),
  };
}

function toolOutput(output: JsonValue | undefined): LangChainContent {
  if (typeof output === "string") return output;
  if (
    Array.isArray(output) &&
    output.every((block) => isObject(block) && typeof block.type === "string")
  ) {
    return output as LangChainContent;
  }
  return JSON.stringify(output ?? null);
}

/**
 * LangChain messages for one Engram message: exactly the message `toEngramMessage` stored, or,
 * for one another adapter wrote, the closest LangChain form (a tool message with several results
 * becomes one ToolMessage per result, as LangChain expects).
 */
export function fromEngramMessage(message: Message): BaseMessage[] {
  const written = readEnvelope(message.metadata);
  const envelope: Envelope = written ?? { type: "" };
  const parts = typeof message.content === "string" ? undefined : message.content;
  const calls = parts?.filter((part) => part.type === "tool-call") ?? [];
  const results = parts?.filter((part) => part.type === "tool-result") ?? [];
  const others = parts?.filter((part) => part.type !== "tool-call" && part.type !== "tool-result");
  const content: LangChainContent =
    parts === undefined
      ? (message.content as string)
      : envelope.stringContent
        ? others!.map((part) => String(part.text ?? "")).join("")
        : (others as LangChainContent);
  const common = {
    id: message.id,
    ...(envelope.name === undefined ? {} : { name: envelope.name }),
    ...(envelope.additional_kwargs ? { additional_kwargs: envelope.additional_kwargs } : {}),
    ...(envelope.response_metadata ? { response_metadata: envelope.response_metadata } : {}),
  };

  if (message.role === "tool") {
    return results.map((part, index) => {
      // LangChain's own status when it wrote the message (possibly none); otherwise the part's.
      const status = written
        ? (envelope.status as "success" | "error" | undefined)
        : part.isError === true
          ? "error"
          : "success";
      return new ToolMessage({
        ...common,
        id: index === 0 ? message.id : `${message.id}#${index}`,
        ...(envelope.name === undefined && typeof part.toolName === "string" && part.toolName !== ""
          ? { name: part.toolName }
          : {}),
        content: toolOutput(part.output),
        tool_call_id: String(part.toolCallId ?? ""),
        ...(status === undefined ? {} : { status }),
        ...(envelope.artifact === undefined ? {} : { artifact: envelope.artifact }),
      });
    });
  }
  if (envelope.type === "generic" && envelope.role !== undefined) {
    return [new ChatMessage({ ...common, content, role: envelope.role })];
  }
  if (message.role === "user") return [new HumanMessage({ ...common, content })];
  if (message.role === "system") return [new SystemMessage({ ...common, content })];
  const idless = new Set(envelope.idlessToolCalls ?? []);
  return [
    new AIMessage({
      ...common,
      content,
      tool_calls: calls.map((part, index) => toolCallOf(part, idless.has(index))),
      ...(envelope.invalid_tool_calls
        ? { invalid_tool_calls: envelope.invalid_tool_calls as unknown as InvalidToolCall[] }
        : {}),
      ...(envelope.usage_metadata ? { usage_metadata: envelope.usage_metadata as never } : {}),
    }),
  ];
}
