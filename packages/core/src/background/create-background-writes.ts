/**
 * Writes that run after the caller has been answered, off its path: one queue per key (a
 * thread), so one thread's writes land in the order they were queued, while different keys run
 * side by side. `flush` waits for all of it, e.g. before a process exits or a test asserts.
 */
export interface BackgroundWrites {
  /** Queues `work` behind the earlier work for `key`; a failure goes to `onError`. */
  run(key: string, work: () => Promise<void>): void;
  /** Resolves once every queued write, including ones queued meanwhile, has finished or failed. */
  flush(): Promise<void>;
}

export interface BackgroundWritesOptions {
  /** Hears a write that failed; default `console.error`. A throwing handler is ignored. */
  onError?: (error: unknown) => void;
}

// setTimeout rather than setImmediate: edge runtimes have only the former. Waiting a macrotask
// lets the caller's response go out before the first write starts.
const nextTick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const logError = (error: unknown) => console.error("[engram] a background write failed:", error);

/** A write queue per key for adapters that store a conversation after answering. */
export function createBackgroundWrites(options: BackgroundWritesOptions = {}): BackgroundWrites {
  const onError = options.onError ?? logError;
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, work) {
      const previous = tails.get(key) ?? nextTick();
      const next = previous.then(work).catch((error: unknown) => {
        try {
          onError(error);
        } catch {
          // An onError that throws must not become an unhandled rejection.
        }
      });
      tails.set(key, next);
      void next.then(() => {
        if (tails.get(key) === next) tails.delete(key);
      });
    },
    async flush() {
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
}
