/**
 * The parts of the language model specification the middleware reads and writes, shared by v3
 * (ai 6) and v4 (ai 7). The middleware's methods are generic over the real types, so whatever a
 * major passes in comes back out with the same type, its other fields untouched.
 */

/** A part of a prompt message or of a model's output; only `type` is common to all. */
export interface PartLike {
  type: string;
}

export interface PromptMessageLike {
  role: "system" | "user" | "assistant" | "tool";
  content: string | readonly PartLike[];
}

export type ProviderOptionsLike = Record<string, Record<string, unknown>>;

export interface CallOptionsLike {
  prompt: readonly PromptMessageLike[];
  providerOptions?: ProviderOptionsLike | undefined;
}

export interface ModelLike {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
}

export interface GenerateResultLike {
  content: readonly PartLike[];
  providerMetadata?: Record<string, Record<string, unknown>> | undefined;
}

export interface StreamResultLike {
  stream: ReadableStream<PartLike>;
}

/** A prompt message as a `placement` function sees and returns it (the spec's own shape). */
export interface PromptMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | Array<{ type: string; [field: string]: unknown }>;
  [field: string]: unknown;
}
