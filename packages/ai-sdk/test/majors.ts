import * as ai6 from "ai";
import * as ai6Test from "ai/test";
import * as ai7 from "ai-v7";
import * as ai7Test from "ai-v7/test";
import { memoryToolsContext } from "../src/tools/memory-tools.js";

/** The parts of a language model call the mocks see and return, on either spec. */
export interface CallOptions {
  prompt: Array<{ role: string; content: unknown; providerOptions?: unknown }>;
  providerOptions?: Record<string, unknown>;
  [field: string]: unknown;
}

type Result = Record<string, unknown>;

/** The two majors' call signatures differ in generics the tests do not exercise. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Untyped = any;

/** A mock language model of the major's own spec (`ai/test`). */
export interface MockModel {
  readonly specificationVersion: string;
  doGenerateCalls: CallOptions[];
  doStreamCalls: CallOptions[];
}

/**
 * One AI SDK major as the tests use it: its own generateText / streamText / wrapLanguageModel
 * and its own mock model, plus how it passes per-request context to tools.
 */
export interface Major {
  name: "ai 6" | "ai 7";
  spec: "v3" | "v4";
  generateText: (options: Untyped) => Promise<Untyped>;
  streamText: (options: Untyped) => Untyped;
  wrapLanguageModel: (options: { model: Untyped; middleware: Untyped }) => Untyped;
  stepCountIs: (steps: number) => Untyped;
  mockModel(options: {
    doGenerate?: Result | Result[] | ((options: CallOptions) => Promise<Result>);
    doStream?: Result | ((options: CallOptions) => Promise<Result>);
  }): MockModel;
  /** The `generateText` option that gives every tool in `tools` this context. */
  toolContext(tools: Record<string, unknown>, context: unknown): Record<string, unknown>;
  convertArrayToReadableStream<T>(values: T[]): ReadableStream<T>;
}

export const majors: Major[] = [
  {
    name: "ai 6",
    spec: "v3",
    generateText: ai6.generateText,
    streamText: ai6.streamText,
    wrapLanguageModel: ai6.wrapLanguageModel as Major["wrapLanguageModel"],
    stepCountIs: ai6.stepCountIs,
    mockModel: (options) => new ai6Test.MockLanguageModelV3(options as never) as never,
    toolContext: (_tools, context) => ({ experimental_context: context }),
    convertArrayToReadableStream: ai6Test.convertArrayToReadableStream,
  },
  {
    name: "ai 7",
    spec: "v4",
    generateText: ai7.generateText,
    streamText: ai7.streamText,
    wrapLanguageModel: ai7.wrapLanguageModel as Major["wrapLanguageModel"],
    stepCountIs: ai7.stepCountIs,
    mockModel: (options) => new ai7Test.MockLanguageModelV4(options as never) as never,
    toolContext: (tools, context) => ({ toolsContext: memoryToolsContext(tools, context) }),
    convertArrayToReadableStream: ai7Test.convertArrayToReadableStream,
  },
];

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** A doGenerate result with text, on either spec. */
export function textResult(text: string): Result {
  return {
    content: [{ type: "text", text }],
    finishReason: { unified: "stop", raw: "stop" },
    usage,
    warnings: [],
  };
}

/** A doGenerate result calling one tool. */
export function toolCallResult(toolCallId: string, toolName: string, input: unknown): Result {
  return {
    content: [{ type: "tool-call", toolCallId, toolName, input: JSON.stringify(input) }],
    finishReason: { unified: "tool-calls", raw: "tool_calls" },
    usage,
    warnings: [],
  };
}

/** A doStream result streaming `text` in a few deltas. */
export function textStream(major: Major, text: string): Result {
  const words = text.split(/(?<= )/);
  return {
    stream: major.convertArrayToReadableStream([
      { type: "stream-start", warnings: [] },
      { type: "text-start", id: "t1" },
      ...words.map((delta) => ({ type: "text-delta", id: "t1", delta })),
      { type: "text-end", id: "t1" },
      { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
    ]),
  };
}

/** The text of every text part of a prompt message, joined. */
export function messageText(message: { content: unknown }): string {
  if (typeof message.content === "string") return message.content;
  return (message.content as Array<{ type: string; text?: string }>)
    .filter((part) => part.type === "text")
    .map((part) => part.text)
    .join("\n");
}
