import {
  EngramError,
  type JsonObject,
  type JsonValue,
  type MessageInput,
  type MessagePart,
  type MessageRole,
} from "@engram/core";
import {
  AIMessage,
  type BaseMessage,
  ChatMessage,
  type MessageContent as LangChainContent,
  ToolMessage,
} from "@langchain/core/messages";
import { ENVELOPE_FIELD, type Envelope, toJson, toJsonObject } from "./envelope.js";

const ROLE_BY_TYPE: Record<string, MessageRole> = {
  human: "user",
  ai: "assistant",
  system: "system",
  tool: "tool",
};

function roleOfChatMessage(role: string): MessageRole {
  if (role === "user" || role === "human") return "user";
  if (role === "assistant" || role === "ai") return "assistant";
  if (role === "system" || role === "developer") return "system";
  if (role === "tool") return "tool";
  return "user";
}

function contentParts(content: LangChainContent): MessagePart[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  return content.map((block) => {
    const json = toJson(block);
    if (
      typeof json === "object" &&
      json !== null &&
      !Array.isArray(json) &&
      typeof json.type === "string"
    ) {
      return json as MessagePart;
    }
    throw new EngramError("INVALID_ARGUMENT", "A content block is not a JSON object with a type.", {
      details: { block: json ?? null },
    });
  });
}

/**
 * A LangChain message as an Engram message. Text and tool calls go into Engram's conventional
 * parts, readable by every adapter; what only LangChain needs (names, kwargs, metadata) goes into
 * `metadata.langchain`, so `fromEngramMessage` gives the same message back.
 */
export function toEngramMessage(message: BaseMessage): MessageInput {
  const type = message.getType();
  const envelope: Envelope = { type };
  let role = ROLE_BY_TYPE[type];
  if (ChatMessage.isInstance(message)) {
    envelope.role = message.role;
    role = roleOfChatMessage(message.role);
  }
  if (role === undefined) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      `A ${type} message cannot be stored in a conversation; use human, AI, system, tool or chat messages.`,
      { details: { type } },
    );
  }
  if (message.name !== undefined) envelope.name = message.name;
  const kwargs = toJsonObject(message.additional_kwargs);
  if (kwargs) envelope.additional_kwargs = kwargs;
  const responseMetadata = toJsonObject(message.response_metadata);
  if (responseMetadata) envelope.response_metadata = responseMetadata;

  let content: MessageInput["content"];
  if (ToolMessage.isInstance(message)) {
    const part: MessagePart = {
      type: "tool-result",
      toolCallId: message.tool_call_id,
      toolName: message.name ?? "",
      output: (toJson(message.content) ?? "") as JsonValue,
    };
    if (message.status === "error") part.isError = true;
    if (message.status !== undefined) envelope.status = message.status;
    const artifact = toJson(message.artifact);
    if (artifact !== undefined) envelope.artifact = artifact;
    content = [part];
  } else {
    const toolCalls = AIMessage.isInstance(message) ? (message.tool_calls ?? []) : [];
    if (typeof message.content === "string" && toolCalls.length === 0) {
      content = message.content;
    } else {
      if (typeof message.content === "string") envelope.stringContent = true;
      const idless: number[] = [];
      const calls = toolCalls.map((call, index): MessagePart => {
        if (call.id === undefined) idless.push(index);
        return {
          type: "tool-call",
          toolCallId: call.id ?? "",
          toolName: call.name,
          input: (toJson(call.args) ?? {}) as JsonValue,
        };
      });
      if (idless.length > 0) envelope.idlessToolCalls = idless;
      content = [...contentParts(message.content), ...calls];
    }
    if (AIMessage.isInstance(message)) {
      if ((message.invalid_tool_calls ?? []).length > 0) {
        envelope.invalid_tool_calls = toJson(message.invalid_tool_calls) as JsonValue[];
      }
      const usage = toJsonObject(message.usage_metadata);
      if (usage) envelope.usage_metadata = usage;
    }
  }

  return {
    ...(message.id === undefined ? {} : { id: message.id }),
    role,
    content,
    metadata: { [ENVELOPE_FIELD]: envelope as unknown as JsonObject },
  };
}
