import {
  type Backend,
  createMemory,
  type EmbedderSource,
  EngramError,
  type Memory,
  type Namespace,
  validateNamespace,
} from "@engram/core";
import { z } from "zod";

/** Semantic indexing, shaped like LangGraph's own `IndexConfig`. */
export interface EngramStoreIndex {
  /**
   * The vector length, for parity with LangGraph's stores. Engram takes the length from the
   * embedder and refuses vectors of another length once a store holds some.
   */
  dims?: number;
  /** The embedder, when the store creates its memory: LangChain `Embeddings`, an AI SDK model or an Engram `Embedder`. */
  embed?: EmbedderSource;
  /** LangGraph JS's name for `embed`. */
  embeddings?: EmbedderSource;
  /** Paths of the value to embed, default `["$"]` (the whole value as JSON). */
  fields?: string[];
}

/** How to build an `EngramStore`: from a `Memory` you have, or from a backend. */
export interface EngramStoreOptions {
  /** The memory that holds the items. The store never closes a memory it was given. */
  memory?: Memory;
  /** Without `memory`: the backend of the memory the store creates (and closes on `stop()`). */
  backend?: Backend;
  index?: EngramStoreIndex;
  /**
   * Subtrees that `search([])` and `listNamespaces()` without a concrete prefix cover.
   * Engram scopes every read, so an empty prefix needs them.
   */
  roots?: Namespace[];
  /** The memory kind of items the store writes; default core's `"fact"`. */
  kind?: string;
}

const embedderShape = z.custom<EmbedderSource>(
  (value) => typeof value === "object" && value !== null,
  "an embedder is an object",
);

const optionsSchema = z
  .strictObject({
    memory: z
      .custom<Memory>(
        (value) => typeof value === "object" && value !== null && "remember" in value,
        "memory must come from createMemory",
      )
      .optional(),
    backend: z.custom<Backend>((value) => typeof value === "object" && value !== null).optional(),
    index: z
      .strictObject({
        dims: z.number().int().positive().optional(),
        embed: embedderShape.optional(),
        embeddings: embedderShape.optional(),
        fields: z.array(z.string().min(1)).min(1).optional(),
      })
      .optional(),
    roots: z.array(z.array(z.string())).optional(),
    kind: z.string().optional(),
  })
  .refine((options) => !(options.memory && options.backend), {
    message: "Give a memory or a backend, not both.",
  })
  .refine((options) => !(options.memory && (options.index?.embed || options.index?.embeddings)), {
    message: "A given memory embeds with its own embedder; drop index.embed.",
  })
  .refine((options) => !(options.index?.embed && options.index?.embeddings), {
    message: "Give index.embed or index.embeddings, not both.",
  });

/** What the store runs on, after validation. */
export interface ResolvedStoreOptions {
  memory: Memory;
  /** True when the store created the memory and so closes it. */
  ownsMemory: boolean;
  fields: readonly string[];
  roots: readonly Namespace[];
  kind: string | undefined;
}

/** Validates store options; throws `INVALID_ARGUMENT` (or `INVALID_NAMESPACE` for a root). */
export function resolveStoreOptions(options: EngramStoreOptions): ResolvedStoreOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      `Invalid EngramStore options: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
      {
        details: {
          issues: parsed.error.issues.map((issue) => ({
            path: issue.path.join("."),
            message: issue.message,
          })),
        },
      },
    );
  }
  const { memory, backend, index, roots, kind } = parsed.data;
  const validRoots = (roots ?? []).map((root) => validateNamespace(root));
  const embedder = index?.embed ?? index?.embeddings;
  return {
    memory: memory ?? createMemory({ backend, ...(embedder ? { embedder } : {}) }),
    ownsMemory: memory === undefined,
    fields: index?.fields ?? ["$"],
    roots: validRoots,
    kind,
  };
}
