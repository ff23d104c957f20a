import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import { scopeIncludes } from "../../namespace/scope.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { vectorToBytes } from "../../retrieval/vector-math.js";
import type { ScoredMemory, Selection } from "../backend.js";
import type { RedisClientLike } from "./redis-client.js";
import {
  createIndexArguments,
  DISTANCE_FIELD,
  filterQuery,
  type KnnPolicy,
  knnPolicy,
  parseSearchReply,
  probeVectorArguments,
  type SearchIndex,
  vectorSearchArguments,
} from "./search-query.js";

async function exists(client: RedisClientLike, name: string): Promise<boolean> {
  try {
    await client.sendCommand(["FT.INFO", name]);
    return true;
  } catch (error) {
    if (/unknown index|no such index/i.test((error as Error).message)) return false;
    throw error;
  }
}

function asBuffer(vector: Float32Array): Buffer {
  const bytes = vectorToBytes(vector);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * FT.INFO in RediSearch 2.6 does not report a vector field's dimensions, so ask the index
 * itself: a query vector of the wrong size is refused with the size it expects.
 */
async function assertDimensions(client: RedisClientLike, index: SearchIndex): Promise<void> {
  try {
    await client.sendCommand(
      probeVectorArguments(index, asBuffer(new Float32Array(index.dimensions))),
    );
  } catch (error) {
    const expected = /expected size \((\d+)\)/.exec((error as Error).message);
    if (!expected) throw error;
    const dimensions = Number(expected[1]) / Float32Array.BYTES_PER_ELEMENT;
    throw new EngramError(
      "DIMENSION_MISMATCH",
      `The RediSearch index ${index.name} holds ${dimensions}-dimensional vectors; this store's ` +
        `embedder makes ${index.dimensions}. Drop the index (FT.DROPINDEX) or use another prefix.`,
      { details: { expected: dimensions, actual: index.dimensions, index: index.name } },
    );
  }
}

/**
 * Creates the index unless it exists, and refuses one of other dimensions. Safe when several
 * processes start at once: the loser of the race gets "Index already exists" and checks the
 * winner's index instead. The index is named by its embedding model (`keys.searchIndex`), so
 * another model's index is never used.
 *
 * A store that holds no memory yet (`isEmpty`) gets an index without the initial scan: that
 * scan walks the whole keyspace in the background, and indexes again every memory written
 * meanwhile (at 100,000 memories written while it ran: 55,000 extra graph inserts, each
 * leaving a stale entry behind).
 */
export async function ensureSearchIndex(
  client: RedisClientLike,
  index: SearchIndex,
  isEmpty: () => Promise<boolean> = async () => false,
): Promise<void> {
  if (!(await exists(client, index.name))) {
    try {
      await client.sendCommand(createIndexArguments(index, await isEmpty()));
      return;
    } catch (error) {
      if (!/already exists/i.test((error as Error).message)) throw error;
    }
  }
  await assertDimensions(client, index);
}

/** The live records of these ids, in their order (`undefined` for gone or expired ones). */
export type ReadRecords = (ids: readonly string[]) => Promise<(MemoryRecord | undefined)[]>;

function inSelection(record: MemoryRecord | undefined, selection: Selection) {
  // The index already applied all this; checking again costs nothing and keeps an expired
  // or out-of-scope memory out even if a hash outlived its index entry.
  if (!record) return false;
  if (!scopeIncludes(selection.scope, encodeNamespace(record.namespace))) return false;
  return matchesFilter(record, selection.filter, selection.now);
}

// A memory's key is `<keyPrefix><tenant tag>}:<id>` (see `keys.memory`).
function idOf(key: string, index: SearchIndex): string {
  return key.slice(key.indexOf("}:", index.keyPrefix.length) + 2);
}

/** A KNN's hit: a memory's id and its similarity to the query. */
export interface KnnHit {
  id: string;
  score: number;
}

/** KNN over the index, prefiltered by scope, filter and expiry: ids and scores, one round trip. */
export async function knnHits(
  client: RedisClientLike,
  index: SearchIndex,
  selection: Selection,
  vector: Float32Array,
  limit: number,
  policy: KnnPolicy,
): Promise<KnnHit[]> {
  const prefilter = filterQuery(selection.scope, selection.filter, selection.now);
  const reply = await client.sendCommand(
    vectorSearchArguments(index, prefilter, asBuffer(vector), knnSize(limit), policy),
  );
  return parseSearchReply(reply).map((hit) => ({
    id: idOf(hit.key, index),
    // COSINE distance is 1 - similarity; core scores with the similarity.
    score: 1 - Number(String(hit.fields.get(DISTANCE_FIELD))),
  }));
}

/**
 * KNN over the index, prefiltered by scope, filter and expiry, in one round trip; then the
 * records of the hits only, in one more (pipelined HMGETs).
 */
export async function searchVectorInIndex(
  client: RedisClientLike,
  index: SearchIndex,
  selection: Selection,
  vector: Float32Array,
  limit: number,
  policy: KnnPolicy,
  records: ReadRecords,
): Promise<ScoredMemory[]> {
  const hits = await knnHits(client, index, selection, vector, limit, policy);
  const found = await records(hits.map((hit) => hit.id));
  const out: ScoredMemory[] = [];
  for (const [at, { score }] of hits.entries()) {
    const memory = found[at];
    if (memory && inSelection(memory, selection)) out.push({ memory, score });
  }
  return out
    .sort((a, b) => b.score - a.score || (a.memory.id < b.memory.id ? 1 : -1))
    .slice(0, limit);
}

// KNN breaks ties (and distances it rounds alike) in no fixed order: a few extra neighbours,
// cut by (score, id) as every backend orders them, keep a page's edge stable.
const KNN_TIE_SLACK = 8;

/** How many neighbours a KNN for `limit` results asks RediSearch for. */
export function knnSize(limit: number): number {
  return limit + KNN_TIE_SLACK;
}

/** The number of documents in the index (FT.INFO `num_docs`), or `undefined` if not told. */
export async function indexDocuments(
  client: RedisClientLike,
  index: SearchIndex,
): Promise<number | undefined> {
  const reply = (await client.sendCommand(["FT.INFO", index.name])) as unknown[];
  for (let i = 0; i + 1 < reply.length; i += 2)
    if (String(reply[i]) === "num_docs") return Number(String(reply[i + 1]));
  return undefined;
}

const SCOPE_HINTS = 10_000;

/**
 * What a KNN's policy is chosen from, kept between searches so that choosing costs no round
 * trip: the index's size (FT.INFO) and each scope's size, each read once and then again in the
 * background once `refreshMs` old. Both only steer the policy; results never depend on them.
 */
export function knnPlanner(refreshMs = 5_000) {
  const scopes = new Map<string, { size: number; readAt: number }>();
  const reading = new Map<string, Promise<number | undefined>>();

  // One read at a time per name; a failed read leaves the old hint (the search reports errors).
  function read(name: string, size: () => Promise<number | undefined>) {
    let pending = reading.get(name);
    if (!pending) {
      pending = size()
        .then(
          (value) => {
            if (value !== undefined) remember(name, value);
            return value;
          },
          () => undefined,
        )
        .finally(() => reading.delete(name));
      reading.set(name, pending);
    }
    return pending;
  }

  function remember(name: string, size: number) {
    scopes.delete(name);
    scopes.set(name, { size, readAt: Date.now() });
    if (scopes.size > SCOPE_HINTS) scopes.delete(scopes.keys().next().value!);
  }

  // The hint, read now if there is none, read again in the background once it is old.
  async function hint(name: string, size: () => Promise<number | undefined>) {
    const known = scopes.get(name);
    if (!known) return read(name, size);
    if (Date.now() - known.readAt > refreshMs) void read(name, size);
    return known.size;
  }

  return {
    /** The policy for a KNN of `k` over the scope named `scopeKey` of `scopeSize` memories. */
    async policy(
      client: RedisClientLike,
      index: SearchIndex,
      scopeKey: string,
      k: number,
      scopeSize: () => Promise<number>,
    ): Promise<KnnPolicy> {
      const [documents, size] = await Promise.all([
        hint(INDEX_HINT, () => indexDocuments(client, index)),
        hint(`scope:${scopeKey}`, scopeSize),
      ]);
      return knnPolicy(k, size, documents);
    },

    clear(): void {
      scopes.clear();
    },
  };
}

const INDEX_HINT = "index";
