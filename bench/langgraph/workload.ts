// Checkpoint writes and reads as a graph makes them: one put per step, then the latest read back.
import { type BaseCheckpointSaver, emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";

type Config = { configurable: Record<string, unknown> };

/**
 * Writes `checkpoints` checkpoints to one thread; the state's text changes at every step. With
 * `timings`, each put is followed by a getTuple of the latest checkpoint and both are timed.
 */
export async function writeThread(
  saver: BaseCheckpointSaver,
  threadId: string,
  checkpoints: number,
  text: string,
  timings?: { puts: number[]; gets: number[] },
): Promise<void> {
  let config: Config = { configurable: { thread_id: threadId, checkpoint_ns: "" } };
  for (let step = 0; step < checkpoints; step += 1) {
    const checkpoint = {
      ...emptyCheckpoint(),
      id: uuid6(-1),
      // A different text per step, so no saver can share one stored value across checkpoints.
      channel_values: { messages: `${step}:${text}`, step },
      channel_versions: { messages: step + 1, step: step + 1 },
    };
    const metadata = { source: "loop" as const, step, parents: {} };
    const versions = { messages: step + 1, step: step + 1 };
    let started = performance.now();
    config = (await saver.put(config, checkpoint, metadata, versions)) as Config;
    const put = performance.now() - started;
    if (!timings) continue;
    started = performance.now();
    const tuple = await saver.getTuple({
      configurable: { thread_id: threadId, checkpoint_ns: "" },
    });
    const get = performance.now() - started;
    if (tuple?.checkpoint.id !== checkpoint.id)
      throw new Error(`${threadId}: read an old checkpoint`);
    timings.puts.push(put);
    timings.gets.push(get);
  }
}

/** Runs `task` for 0..count-1, at most `concurrency` at a time. */
export async function pool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
