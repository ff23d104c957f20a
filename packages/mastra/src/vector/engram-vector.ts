import { randomUUID } from "node:crypto";
import {
  EngramError,
  type JsonObject,
  type Memory,
  type MemoryRecord,
  type Namespace,
  validateNamespace,
} from "@engram/core";
import {
  type CreateIndexParams,
  type DeleteIndexParams,
  type DeleteVectorParams,
  type DeleteVectorsParams,
  type DescribeIndexParams,
  type IndexStats,
  MastraVector,
  type QueryResult,
  type QueryVectorParams,
  type UpdateVectorParams,
  type UpsertVectorParams,
  type VectorFilter,
} from "@mastra/core/vector";
import { toJson } from "../storage/messages.js";
import { toMetadataCondition } from "./translate-filter.js";

export interface EngramVectorOptions {
  /**
   * The Engram memory that keeps the vectors. Its embedder should be the model Mastra embeds
   * with (e.g. `fromEmbeddingModel(model)`): it embeds `queryText` for hybrid queries.
   */
  memory: Memory;
  /** The vector store's id in Mastra; default `"engram"`. */
  id?: string;
  /** Indexes live under this namespace, one namespace each; default `["mastra", "vectors"]`. */
  namespace?: Namespace;
}

/** What Engram's query adds to Mastra's: the query text, for hybrid (semantic + keyword) recall. */
export interface EngramQueryVectorParams extends QueryVectorParams<VectorFilter> {
  queryText?: string;
}

interface IndexEntry {
  dimension: number;
  metric: "cosine";
}

const WRITE_BATCH = 500;

function notFound(indexName: string): EngramError {
  return new EngramError("NOT_FOUND", `Index ${indexName} does not exist; call createIndex first.`);
}

/** The text a vector's memory holds: its `text` metadata when there is one, else its id. */
function contentOf(id: string, metadata: Record<string, unknown> | undefined): string {
  const text = metadata?.text;
  return typeof text === "string" && text.trim().length > 0 ? text : id;
}

/**
 * A Mastra vector store on Engram. Each index is a namespace; each vector is a memory whose key
 * is the vector's id, so its metadata, filters, `forgetNamespace` and the rest of Engram apply.
 * Only the cosine metric: Engram keeps unit vectors.
 */
export class EngramVector extends MastraVector<VectorFilter> {
  readonly #memory: Memory;
  readonly #root: Namespace;

  constructor(options: EngramVectorOptions) {
    super({ id: options.id ?? "engram" });
    this.#memory = options.memory;
    this.#root = validateNamespace(options.namespace ?? ["mastra", "vectors"]);
  }

  /** Where the index list is kept (as the working memory of this namespace). */
  get #registry(): Namespace {
    return [...this.#root, "registry"];
  }

  #namespace(indexName: string): Namespace {
    return validateNamespace([...this.#root, "indexes", indexName]);
  }

  async #indexes(): Promise<Record<string, IndexEntry>> {
    const document = await this.#memory.workingMemory.get({ namespace: this.#registry });
    return (document?.content ?? {}) as unknown as Record<string, IndexEntry>;
  }

  async #index(indexName: string): Promise<{ namespace: Namespace; entry: IndexEntry }> {
    const namespace = this.#namespace(indexName);
    const entry = (await this.#indexes())[indexName];
    if (!entry) throw notFound(indexName);
    return { namespace, entry };
  }

  async createIndex({ indexName, dimension, metric = "cosine" }: CreateIndexParams): Promise<void> {
    this.#namespace(indexName);
    if (!Number.isInteger(dimension) || dimension <= 0)
      throw new EngramError("INVALID_ARGUMENT", "dimension must be a positive integer.");
    if (metric !== "cosine")
      throw new EngramError(
        "INVALID_ARGUMENT",
        `Engram supports the cosine metric only (got ${metric}): it keeps unit vectors.`,
      );
    const existing = (await this.#indexes())[indexName];
    if (existing) {
      if (existing.dimension !== dimension)
        throw new EngramError(
          "DIMENSION_MISMATCH",
          `Index ${indexName} exists with dimension ${existing.dimension}; asked for ${dimension}.`,
        );
      return;
    }
    await this.#memory.workingMemory.patch({
      namespace: this.#registry,
      patch: { [indexName]: { dimension, metric } },
    });
  }

  async listIndexes(): Promise<string[]> {
    return Object.keys(await this.#indexes()).sort();
  }

  async describeIndex({ indexName }: DescribeIndexParams): Promise<IndexStats> {
    const { namespace, entry } = await this.#index(indexName);
    return {
      dimension: entry.dimension,
      metric: entry.metric,
      count: await this.#memory.count({ namespace }),
    };
  }

  async deleteIndex({ indexName }: DeleteIndexParams): Promise<void> {
    const { namespace } = await this.#index(indexName);
    await this.#memory.forgetNamespace(namespace);
    await this.#memory.workingMemory.patch({
      namespace: this.#registry,
      patch: { [indexName]: null },
    });
  }

  async upsert({
    indexName,
    vectors,
    metadata,
    ids,
    deleteFilter,
  }: UpsertVectorParams<VectorFilter>): Promise<string[]> {
    const { namespace, entry } = await this.#index(indexName);
    if (ids && ids.length !== vectors.length)
      throw new EngramError("INVALID_ARGUMENT", "ids and vectors must have the same length.");
    if (metadata && metadata.length !== vectors.length)
      throw new EngramError("INVALID_ARGUMENT", "metadata and vectors must have the same length.");
    for (const vector of vectors) {
      if (vector.length !== entry.dimension)
        throw new EngramError(
          "DIMENSION_MISMATCH",
          `Index ${indexName} holds ${entry.dimension} dimensions; a vector has ${vector.length}.`,
        );
    }
    const where = toMetadataCondition(deleteFilter);
    if (where) await this.#memory.forget({ namespace, where });
    const keys = vectors.map((_, index) => ids?.[index] ?? randomUUID());
    const inputs = vectors.map((vector, index) => {
      const fields = toJson(metadata?.[index] ?? {}) as JsonObject;
      return {
        namespace,
        key: keys[index]!,
        content: contentOf(keys[index]!, fields),
        metadata: fields,
        vector,
      };
    });
    for (let start = 0; start < inputs.length; start += WRITE_BATCH)
      await this.#memory.remember(inputs.slice(start, start + WRITE_BATCH));
    return keys;
  }

  async query({
    indexName,
    queryVector,
    topK = 10,
    filter,
    queryText,
  }: EngramQueryVectorParams): Promise<QueryResult[]> {
    const { namespace } = await this.#index(indexName);
    const where = toMetadataCondition(filter);
    if (!queryVector) {
      if (!where)
        throw new EngramError("INVALID_ARGUMENT", "Give a queryVector, a filter, or both.");
      const page = await this.#memory.list({ namespace, where, limit: Math.min(topK, 1000) });
      return page.memories.map((memory) => this.#result(memory, 0));
    }
    const hits = await this.#memory.recall({
      namespace,
      vector: queryVector,
      ...(queryText?.trim()
        ? { query: queryText, mode: "hybrid" as const }
        : { mode: "semantic" as const }),
      ...(where ? { where } : {}),
      limit: topK,
      ranking: false,
      recordAccess: false,
    });
    return hits.map((hit) => this.#result(hit, hit.score));
  }

  #result(memory: MemoryRecord, score: number): QueryResult {
    return { id: memory.key ?? memory.id, score, metadata: memory.metadata };
  }

  async updateVector(params: UpdateVectorParams<VectorFilter>): Promise<void> {
    const { namespace, entry } = await this.#index(params.indexName);
    const { vector, metadata } = params.update;
    if (!vector && !metadata)
      throw new EngramError("INVALID_ARGUMENT", "An update needs a vector, metadata, or both.");
    if (vector && vector.length !== entry.dimension)
      throw new EngramError(
        "DIMENSION_MISMATCH",
        `Index ${params.indexName} holds ${entry.dimension} dimensions; the vector has ${vector.length}.`,
      );
    let targets: MemoryRecord[];
    if (params.id !== undefined) {
      const found = await this.#memory.get({ namespace, key: params.id });
      if (!found)
        throw new EngramError("NOT_FOUND", `Vector ${params.id} is not in ${params.indexName}.`);
      targets = [found];
    } else {
      const where = toMetadataCondition(params.filter);
      if (!where) throw new EngramError("INVALID_ARGUMENT", "Give an id or a non-empty filter.");
      targets = await this.#all(namespace, where);
    }
    const fields = metadata === undefined ? undefined : (toJson(metadata) as JsonObject);
    for (const target of targets) {
      const key = target.key ?? target.id;
      const next = fields ?? target.metadata;
      if (vector) {
        await this.#memory.remember({
          namespace,
          key,
          content: contentOf(key, next),
          metadata: next,
          vector,
        });
      } else {
        await this.#memory.update(target.id, { metadata: next, content: contentOf(key, next) });
      }
    }
  }

  async #all(
    namespace: Namespace,
    where: ReturnType<typeof toMetadataCondition>,
  ): Promise<MemoryRecord[]> {
    const out: MemoryRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#memory.list({
        namespace,
        ...(where ? { where } : {}),
        limit: 1000,
        cursor,
      });
      out.push(...page.memories);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async deleteVector({ indexName, id }: DeleteVectorParams): Promise<void> {
    const { namespace } = await this.#index(indexName);
    await this.#memory.forget({ namespace, keys: [id] });
  }

  async deleteVectors({
    indexName,
    ids,
    filter,
  }: DeleteVectorsParams<VectorFilter>): Promise<void> {
    const { namespace } = await this.#index(indexName);
    const where = toMetadataCondition(filter);
    if ((ids !== undefined && ids.length > 0) === (where !== undefined))
      throw new EngramError("INVALID_ARGUMENT", "Give either ids or a non-empty filter, not both.");
    if (where) {
      await this.#memory.forget({ namespace, where });
      return;
    }
    for (let start = 0; start < ids!.length; start += 1000)
      await this.#memory.forget({ namespace, keys: ids!.slice(start, start + 1000) });
  }
}
