/**
 * Work that runs after the agent has answered, off the response's path: one queue per thread,
 * so a thread's turns are written in order, and `flush()` to wait for all of it.
 */
export interface BackgroundWrites {
  /** Queues `job` after the thread's earlier jobs; failures go to `onError`. */
  run(thread: string, job: () => Promise<void>): void;
  /** Resolves when every queued job has finished (or failed). */
  flush(): Promise<void>;
}

/** A queue per thread, reporting failures rather than throwing them into nobody's hands. */
export function createBackgroundWrites(onError: (error: unknown) => void): BackgroundWrites {
  const tails = new Map<string, Promise<void>>();
  return {
    run(thread, job) {
      const previous = tails.get(thread) ?? Promise.resolve();
      const next = previous.then(job).catch((error: unknown) => {
        try {
          onError(error);
        } catch {
          // An onError that throws must not turn into an unhandled rejection.
        }
      });
      tails.set(thread, next);
      void next.then(() => {
        if (tails.get(thread) === next) tails.delete(thread);
      });
    },
    async flush() {
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
}
