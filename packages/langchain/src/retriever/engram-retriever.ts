import { AsyncLocalStorage } from "node:async_hooks";
import {
  type CompiledNamespaceTemplate,
  createNamespaceTemplate,
  type Memory,
  type MemoryFilter,
  type Namespace,
  type NamespaceTemplate,
  type RecallMode,
  type Scope,
} from "@engram/core";
import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import type { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { ensureConfig, type RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { memoryShape } from "../options/memory-shape.js";
import { parseOptions } from "../options/parse-options.js";
import { type RunValues, runNamespace } from "../run-namespace/run-namespace.js";
import { type MemoryDocumentMetadata, toDocument } from "./to-document.js";

/** Where and how `EngramRetriever` recalls. Give `namespace`, `within`, or both. */
export interface EngramRetrieverOptions extends BaseRetrieverInput {
  memory: Memory;
  /**
   * Namespaces matched exactly: one, or a list. Each may be a template such as
   * `["users", "{user_id}"]`, filled per call from the run's context or `config.configurable`.
   */
  namespace?: NamespaceTemplate | readonly NamespaceTemplate[];
  /** Subtrees: each namespace and everything beneath it. Templates as for `namespace`. */
  within?: NamespaceTemplate | readonly NamespaceTemplate[];
  /** Narrows recall: `kinds`, `tags` (all present), `metadata` equality, dates, `pinned`. */
  filter?: MemoryFilter;
  /** `"hybrid"` (default), `"semantic"` or `"keyword"`. */
  mode?: RecallMode;
  /** How many documents, 1-100; default 4. */
  k?: number;
  /** Drop memories scoring below this (0-1). */
  minScore?: number;
  /** Adds each score's components as `metadata.explanation`. */
  explain?: boolean;
  /** Let newer memories rank higher (default `true`). */
  recency?: boolean;
}

// A template list holds arrays; a single template holds strings (as core's Scope).
function asTemplates(value: NamespaceTemplate | readonly NamespaceTemplate[] | undefined) {
  if (value === undefined) return [];
  const list =
    value.length > 0 && value.every((item) => Array.isArray(item))
      ? (value as readonly NamespaceTemplate[])
      : [value as NamespaceTemplate];
  return list.map((template) => createNamespaceTemplate(template));
}

const scopeShape = z.custom<NamespaceTemplate | readonly NamespaceTemplate[]>(
  (value) => Array.isArray(value),
  "a namespace (or a list of them) is an array",
);

const optionsSchema = z
  .object({
    memory: memoryShape,
    namespace: scopeShape.optional(),
    within: scopeShape.optional(),
    filter: z
      .custom<MemoryFilter>(
        (value) => typeof value === "object" && value !== null && !Array.isArray(value),
        'filter is an object such as { kinds: ["preference"] }',
      )
      .optional(),
    mode: z.enum(["hybrid", "semantic", "keyword"]).optional(),
    k: z.number().int().min(1).max(100).default(4),
    minScore: z.number().min(0).max(1).optional(),
    explain: z.boolean().default(false),
    recency: z.boolean().optional(),
  })
  .refine((options) => options.namespace !== undefined || options.within !== undefined, {
    message: "Give a namespace or a within prefix to recall from.",
  });

// The run's config for the call in progress: BaseRetriever hands _getRelevantDocuments only a
// callback manager, and one retriever serves concurrent runs for different users.
const currentRun = new AsyncLocalStorage<RunValues>();

/**
 * A LangChain retriever over Engram memories: recall by meaning and words, scoped and filtered,
 * each memory a `Document` whose metadata carries its id, kind, tags and score.
 */
export class EngramRetriever extends BaseRetriever<MemoryDocumentMetadata> {
  static override lc_name() {
    return "EngramRetriever";
  }

  override lc_namespace = ["engram", "langchain", "retrievers"];

  /** The memory recalled from. */
  readonly memory: Memory;
  readonly k: number;
  readonly mode: RecallMode | undefined;
  readonly minScore: number | undefined;
  readonly explain: boolean;
  readonly #exact: CompiledNamespaceTemplate[];
  readonly #within: CompiledNamespaceTemplate[];
  readonly #filter: MemoryFilter;
  readonly #recency: boolean | undefined;

  constructor(options: EngramRetrieverOptions) {
    const { callbacks, tags, metadata, verbose, ...own } = options;
    super({ callbacks, tags, metadata, verbose });
    const parsed = parseOptions(optionsSchema, own, "EngramRetriever options");
    this.memory = parsed.memory;
    this.k = parsed.k;
    this.mode = parsed.mode;
    this.minScore = parsed.minScore;
    this.explain = parsed.explain;
    this.#recency = parsed.recency;
    this.#exact = asTemplates(parsed.namespace);
    this.#within = asTemplates(parsed.within);
    // Core validates the filter on each recall, with the same errors as everywhere else.
    this.#filter = { ...parsed.filter };
  }

  /** The scope for a run: templates filled from its context and configurable. */
  scopeFor(run: RunValues | undefined): Scope {
    const fill = (templates: CompiledNamespaceTemplate[]): Namespace[] =>
      templates.map((template) => runNamespace(template, run));
    return {
      ...(this.#exact.length > 0 ? { namespace: fill(this.#exact) } : {}),
      ...(this.#within.length > 0 ? { within: fill(this.#within) } : {}),
    };
  }

  override invoke(
    input: string,
    options?: RunnableConfig,
  ): Promise<Document<MemoryDocumentMetadata>[]> {
    const config = ensureConfig(options) as RunnableConfig & { context?: unknown };
    return currentRun.run({ context: config.context, configurable: config.configurable }, () =>
      super.invoke(input, options),
    );
  }

  override async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<Document<MemoryDocumentMetadata>[]> {
    const recalled = await this.memory.recall({
      ...this.scopeFor(currentRun.getStore()),
      ...this.#filter,
      query,
      limit: this.k,
      ...(this.mode === undefined ? {} : { mode: this.mode }),
      ...(this.minScore === undefined ? {} : { minScore: this.minScore }),
      ...(this.#recency === undefined ? {} : { recency: this.#recency }),
      ...(this.explain ? { explain: true } : {}),
    });
    return recalled.map(toDocument);
  }
}
