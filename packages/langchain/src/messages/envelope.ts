import type { JsonObject, JsonValue } from "@engram/core";

/** The metadata field holding what LangChain needs back and Engram's parts cannot say. */
export const ENVELOPE_FIELD = "langchain";

/**
 * How a LangChain message was written, so it reads back exactly. Engram's role and parts carry
 * the rest (text, tool calls, tool results) in the shapes every adapter reads.
 */
export interface Envelope {
  /** The LangChain message type: human, ai, system, tool or generic. */
  type: string;
  /** A `ChatMessage`'s own role. */
  role?: string;
  /** The content was a string (Engram may hold it as parts when tool calls sit beside it). */
  stringContent?: boolean;
  name?: string;
  additional_kwargs?: JsonObject;
  response_metadata?: JsonObject;
  invalid_tool_calls?: JsonValue[];
  usage_metadata?: JsonObject;
  status?: string;
  artifact?: JsonValue;
  /** Tool calls written without an id (rare), by index, so they read back without one. */
  idlessToolCalls?: number[];
}

/** A value as JSON (undefined fields dropped, dates as strings), or undefined if it is not JSON. */
export function toJson(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
  } catch {
    return undefined;
  }
}

/** A record as a JSON object, or undefined when it is empty or not JSON. */
export function toJsonObject(value: unknown): JsonObject | undefined {
  const json = toJson(value);
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  return Object.keys(json).length > 0 ? json : undefined;
}

/** The envelope in a stored message's metadata, if a LangChain adapter wrote one. */
export function readEnvelope(metadata: JsonObject): Envelope | undefined {
  const value = metadata[ENVELOPE_FIELD];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return typeof value.type === "string" ? (value as unknown as Envelope) : undefined;
}
