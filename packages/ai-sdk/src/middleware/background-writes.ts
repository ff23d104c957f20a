/**
 * Writes that run after the model's result has been handed back. Writes for one thread run in
 * the order their calls finished, so a tool loop's steps land in order; `flush` waits for all.
 */
export interface BackgroundWrites {
  /** Queues `work` behind earlier work for `key`. `work` must not reject. */
  run(key: string, work: () => Promise<void>): void;
  /** Resolves once every queued write, including ones queued meanwhile, has finished. */
  flush(): Promise<void>;
}

// setTimeout rather than setImmediate: edge runtimes have only the former.
const nextTick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createBackgroundWrites(): BackgroundWrites {
  const chains = new Map<string, Promise<void>>();
  const pending = new Set<Promise<void>>();
  return {
    run(key, work) {
      const previous = chains.get(key) ?? nextTick();
      const next = previous.then(work);
      chains.set(key, next);
      pending.add(next);
      void next.finally(() => {
        pending.delete(next);
        if (chains.get(key) === next) chains.delete(key);
      });
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
