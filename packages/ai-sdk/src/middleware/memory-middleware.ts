import {
  type ContextBlock,
  createBackgroundWrites,
  EngramError,
  encodeNamespace,
  type JsonObject,
  type MessageInput,
  type Namespace,
  validateNamespace,
} from "@engram/core";
import { parseOptions } from "../parse-options.js";
import {
  type MemoryMiddlewareOptions,
  type MiddlewareErrorInfo,
  middlewareOptionsSchema,
  requestOptionsSchema,
} from "./options.js";
import { latestUserIndex, placeBlock, promptMessageText, renderMemoryBlock } from "./prompt.js";
import { recallBlock } from "./recall-block.js";
import type {
  CallOptionsLike,
  GenerateResultLike,
  ModelLike,
  PartLike,
  StreamResultLike,
} from "./spec.js";
import { tapStream } from "./stream-tap.js";
import { newInputMessages, replyMessage } from "./turn.js";

/** The key of the middleware's entry in provider options and provider metadata. */
export const PROVIDER_KEY = "engram";

/** What a call recalled, as the result's `providerMetadata.engram` carries it. */
export interface RecallMetadata {
  namespace: string[];
  threadId: string;
  /** The memories placed in the prompt, most relevant first. */
  memories: Array<{ id: string; content: string; kind: string; score: number }>;
  /** The size of the placed block, by the memory's token counter. */
  tokens: number;
  /** Why nothing was recalled, when the recall failed or timed out (the call went on). */
  error: { code: string; message: string } | null;
}

/**
 * A language model middleware for `wrapLanguageModel` on ai 6 (spec v3) and ai 7 (spec v4,
 * whose `wrapLanguageModel` takes v3 middleware too). Its methods are generic over the call
 * options and results, so they fit either major's types.
 */
export interface MemoryMiddleware<Version extends "v3" | "v4" = "v3"> {
  readonly specificationVersion: Version;
  transformParams<Params extends CallOptionsLike>(options: {
    type: "generate" | "stream";
    params: Params;
    model: ModelLike;
  }): PromiseLike<Params>;
  wrapGenerate<Result extends GenerateResultLike>(options: {
    doGenerate: () => PromiseLike<Result>;
    params: CallOptionsLike;
    model: ModelLike;
  }): PromiseLike<Result>;
  wrapStream<Result extends StreamResultLike>(options: {
    doStream: () => PromiseLike<Result>;
    params: CallOptionsLike;
    model: ModelLike;
  }): PromiseLike<Result>;
  /** Resolves once every turn written so far has been appended (and ingested). */
  flush(): Promise<void>;
}

/** What transformParams learned about one call, for the wrap step that follows it. */
interface CallState {
  namespace: Namespace;
  threadId: string;
  persist: boolean;
  inputs: MessageInput[];
  metadata: RecallMetadata;
}

function describeError(error: unknown): { code: string; message: string } {
  if (EngramError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: "UNKNOWN", message: error instanceof Error ? error.message : String(error) };
}

function metadataOf(
  block: ContextBlock | undefined,
  state: Omit<RecallMetadata, "memories" | "tokens">,
): RecallMetadata {
  return {
    ...state,
    memories: (block?.memories ?? []).map((memory) => ({
      id: memory.id,
      content: memory.content,
      kind: memory.kind,
      score: memory.score,
    })),
    tokens: block?.tokens ?? 0,
  };
}

const warn = (error: unknown, info: MiddlewareErrorInfo) =>
  console.warn(
    `[engram] ${info.phase} failed for ${encodeNamespace(info.namespace)} (thread ${info.threadId}); the call went on:`,
    error,
  );

/**
 * Memory for any AI SDK model: before each call it recalls what is relevant to the latest user
 * message and places it in the prompt; after the call it appends the turn to the thread (and
 * optionally ingests it), without delaying the response.
 */
export function memoryMiddleware<Version extends "v3" | "v4" = "v3">(
  options: MemoryMiddlewareOptions & { specificationVersion?: Version },
): MemoryMiddleware<Version> {
  const parsed = parseOptions(middlewareOptionsSchema, options, "memoryMiddleware options");
  const { memory } = options;
  const defaultNamespace = parsed.namespace ? validateNamespace(parsed.namespace) : undefined;
  const placement = options.placement ?? "user";
  const render = options.render ?? renderMemoryBlock;
  const onError = options.onError ?? warn;
  const timeoutMs = parsed.timeoutMs ?? 1000;
  // The offline encoder loads once per process (a second or two): that load starts now and is
  // waited for outside the recall's timeout, so a new process's first turn still has memories.
  // A failure here is the recall's to report.
  const warming = Promise.resolve()
    .then(() => memory.warm())
    .catch(() => undefined);
  const ingest = options.ingest === true ? {} : options.ingest || undefined;
  const states = new WeakMap<object, CallState>();
  const writes = createBackgroundWrites();

  const report = (error: unknown, info: MiddlewareErrorInfo) => {
    try {
      onError(error, info);
    } catch {
      // An onError that throws must not fail the call either.
    }
  };

  function persist(state: CallState, reply: readonly PartLike[], model: ModelLike) {
    if (!state.persist) return;
    const answer = replyMessage(reply, new Date(), { model: `${model.provider}:${model.modelId}` });
    const messages = answer ? [...state.inputs, answer] : state.inputs;
    if (messages.length === 0) return;
    const address = { namespace: state.namespace, threadId: state.threadId };
    const info = { namespace: state.namespace, threadId: state.threadId };
    writes.run(`${encodeNamespace(state.namespace)}\n${state.threadId}`, async () => {
      try {
        await memory.messages.append({ ...address, messages });
      } catch (error) {
        report(error, { ...info, phase: "persist" });
        return;
      }
      if (!ingest) return;
      try {
        await memory.ingest({ ...ingest, ...address });
      } catch (error) {
        report(error, { ...info, phase: "ingest" });
      }
    });
  }

  return {
    specificationVersion: (parsed.specificationVersion ?? "v3") as Version,

    async transformParams({ params }) {
      const { [PROVIDER_KEY]: own, ...providerOptions } = params.providerOptions ?? {};
      const request = parseOptions(requestOptionsSchema, own ?? {}, "providerOptions.engram");
      const namespace = request.namespace ? validateNamespace(request.namespace) : defaultNamespace;
      if (!namespace) {
        throw new EngramError(
          "INVALID_ARGUMENT",
          "memoryMiddleware needs a namespace: give `namespace` in its options or `providerOptions.engram.namespace` in the call.",
        );
      }
      const threadId = request.threadId ?? parsed.threadId ?? "default";
      const userIndex = latestUserIndex(params.prompt);
      const query =
        request.query ?? (userIndex < 0 ? "" : promptMessageText(params.prompt[userIndex]!)).trim();

      let block: ContextBlock | undefined;
      let error: RecallMetadata["error"] = null;
      if (request.recall !== false && query.length > 0) {
        try {
          await warming;
          block = await recallBlock(memory, namespace, query, { ...parsed, timeoutMs });
        } catch (cause) {
          error = describeError(cause);
          report(cause, { phase: "recall", namespace, threadId });
        }
      }
      const prompt =
        block && block.memories.length > 0
          ? placeBlock(params.prompt, render(block), block, placement)
          : [...params.prompt];
      const transformed = {
        ...params,
        prompt,
        // The provider never sees the middleware's own options.
        providerOptions: Object.keys(providerOptions).length > 0 ? providerOptions : undefined,
      } as typeof params;
      states.set(transformed, {
        namespace,
        threadId,
        persist: request.persist ?? parsed.persist ?? true,
        inputs: newInputMessages(params.prompt, new Date()),
        metadata: metadataOf(block, { namespace: [...namespace], threadId, error }),
      });
      return transformed;
    },

    async wrapGenerate({ doGenerate, params, model }) {
      const result = await doGenerate();
      const state = states.get(params);
      if (!state) return result;
      persist(state, result.content, model);
      return {
        ...result,
        providerMetadata: {
          ...result.providerMetadata,
          [PROVIDER_KEY]: state.metadata as unknown as JsonObject,
        },
      };
    },

    async wrapStream({ doStream, params, model }) {
      const result = await doStream();
      const state = states.get(params);
      if (!state) return result;
      const tap = tapStream(
        { [PROVIDER_KEY]: state.metadata as unknown as JsonObject },
        (content) => persist(state, content, model),
      );
      return { ...result, stream: result.stream.pipeThrough(tap) };
    },

    flush: () => writes.flush(),
  };
}
