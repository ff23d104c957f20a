import { type ContextBlock, EngramError, type Memory, type Namespace } from "@engram/core";
import type { MemoryMiddlewareOptions } from "./options.js";

/**
 * The memories for `query` as a context block, or a `TIMEOUT` error once `timeoutMs` has passed.
 * A recall that loses the race still finishes in the background; its result is dropped.
 */
export async function recallBlock(
  memory: Memory,
  namespace: Namespace,
  query: string,
  options: Pick<MemoryMiddlewareOptions, "maxTokens" | "recall"> & { timeoutMs: number },
): Promise<ContextBlock> {
  const { subtree = true, ...filters } = options.recall ?? {};
  const recall = memory.context({
    ...(subtree ? { within: namespace } : { namespace }),
    ...filters,
    query,
    maxTokens: options.maxTokens ?? 1000,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EngramError(
            "TIMEOUT",
            `Recall took longer than ${options.timeoutMs} ms; the call went on without memories.`,
            {
              details: { timeoutMs: options.timeoutMs },
            },
          ),
        ),
      options.timeoutMs,
    );
  });
  recall.catch(() => undefined); // a late failure after the timeout is not unhandled
  try {
    return await Promise.race([recall, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
