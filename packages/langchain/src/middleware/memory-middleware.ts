import type { Namespace } from "@engram/core";
import { createBackgroundWrites, EngramError } from "@engram/core";
import { type AgentMiddleware, createMiddleware } from "langchain";
import { z } from "zod";
import { type RunValues, runNamespace } from "../run-namespace/run-namespace.js";
import { createMemoryTools } from "../tools/create-memory-tools.js";
import { type MemoryMiddlewareOptions, resolveMiddlewareOptions } from "./options.js";
import { createTurnWriter } from "./persist-turn.js";
import { latestHumanIndex, toRecallMessage, withRecallMessage } from "./recall-message.js";

/** The middleware, plus a way to wait for the turns it is still storing. */
export type MemoryMiddleware = AgentMiddleware & {
  /** Resolves once every turn handed to the background has been stored (or has failed). */
  flush(): Promise<void>;
};

/**
 * Memory for `createAgent`: recalls what is relevant to the latest user message before each
 * model call, stores each turn in the run's thread after the agent answers (optionally turning
 * it into long-term memories), and can give the agent the memory tools.
 */
export function memoryMiddleware(input: MemoryMiddlewareOptions): MemoryMiddleware {
  const options = resolveMiddlewareOptions(input);
  const { memory, template, recall } = options;
  const background = createBackgroundWrites({ onError: options.onError });
  const turns = createTurnWriter(options);
  const tools = options.tools
    ? createMemoryTools({ ...options.tools, memory, namespace: template.template })
    : undefined;

  function threadOf(run: RunValues): string {
    const threadId = options.threadId(run);
    if (threadId === undefined || threadId === "") {
      throw new EngramError(
        "INVALID_ARGUMENT",
        "memoryMiddleware stores each turn in a thread: pass configurable.thread_id (or set threadId, or persist: false).",
      );
    }
    return threadId;
  }

  // Hooks other than wrapModelCall see only the context fields a middleware declares, so the
  // template's placeholders are declared: optional (they may come from configurable instead) and
  // of any type, so a wrong value meets the template's own error, which names it.
  const contextSchema =
    template.variables.length > 0
      ? z.object(
          Object.fromEntries(template.variables.map((name) => [name, z.unknown().optional()])),
        )
      : undefined;

  const middleware = createMiddleware({
    name: "EngramMemory",
    ...(contextSchema ? { contextSchema } : {}),
    ...(tools ? { tools: [...tools] } : {}),

    // Fails the run before any model call when the namespace or thread cannot be named.
    beforeAgent: (_state, runtime) => {
      const run = { context: runtime.context, configurable: runtime.configurable };
      runNamespace(template, run);
      if (options.persist) threadOf(run);
      return undefined;
    },

    wrapModelCall: async (request, handler) => {
      if (!recall) return handler(request);
      const index = latestHumanIndex(request.messages);
      const query = index >= 0 ? request.messages[index]!.text.trim() : "";
      if (query === "") return handler(request);
      const namespace: Namespace = runNamespace(template, {
        context: request.runtime.context,
        configurable: request.runtime.configurable,
      });
      const block = await memory.context({
        ...(recall.scope === "within" ? { within: namespace } : { namespace }),
        ...recall.filter,
        query,
        maxTokens: recall.maxTokens,
        ...(recall.mode ? { mode: recall.mode } : {}),
        ...(recall.minScore === undefined ? {} : { minScore: recall.minScore }),
      });
      if (block.text === "") return handler(request);
      return handler({
        ...request,
        messages: withRecallMessage(request.messages, toRecallMessage(block.text)),
      });
    },

    afterAgent: (state, runtime) => {
      if (!options.persist) return undefined;
      const run = { context: runtime.context, configurable: runtime.configurable };
      const namespace = runNamespace(template, run);
      const threadId = threadOf(run);
      // A snapshot: the state may change once this hook returns.
      const messages = [...state.messages];
      background.run(turns.threadKey(namespace, threadId), () =>
        turns.write(namespace, threadId, messages),
      );
      return undefined;
    },
  });

  return Object.assign(middleware, { flush: () => background.flush() }) as MemoryMiddleware;
}
