import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import { scopeIncludes } from "../../namespace/scope.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { type Bm25DocumentCache, bm25, queryStems } from "../../retrieval/bm25.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { vectorToBytes } from "../../retrieval/vector-math.js";
import type { ScoredMemory, Selection } from "../backend.js";
import type { RedisClientLike } from "./redis-client.js";
import {
  createIndexArguments,
  DISTANCE_FIELD,
  filterQuery,
  KEYWORD_PAGE,
  keywordSearchArguments,
  parseKeysReply,
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
 */
export async function ensureSearchIndex(
  client: RedisClientLike,
  index: SearchIndex,
): Promise<void> {
  if (!(await exists(client, index.name))) {
    try {
      await client.sendCommand(createIndexArguments(index));
      return;
    } catch (error) {
      if (!/already exists/i.test((error as Error).message)) throw error;
    }
  }
  await assertDimensions(client, index);
}

/** Records by id, as the scope cache (or a read) has them; `undefined` for gone ones. */
export type RecordsById = (ids: readonly string[]) => Promise<Map<string, MemoryRecord>>;

function inSelection(record: MemoryRecord | undefined, selection: Selection) {
  // The index already applied all this; checking again costs nothing and keeps an expired
  // or out-of-scope memory out even if a hash outlived its index entry.
  if (!record) return false;
  if (!scopeIncludes(selection.scope, encodeNamespace(record.namespace))) return false;
  return matchesFilter(record, selection.filter, selection.now);
}

function idOf(key: string, index: SearchIndex): string {
  return key.slice(index.keyPrefix.length);
}

/**
 * KNN over the index, prefiltered by scope, filter and expiry, in one round trip; the
 * records come from `records` (the scope cache), fetched in parallel.
 */
export async function searchVectorInIndex(
  client: RedisClientLike,
  index: SearchIndex,
  selection: Selection,
  vector: Float32Array,
  limit: number,
  records: RecordsById,
): Promise<ScoredMemory[]> {
  const prefilter = filterQuery(selection.scope, selection.filter, selection.now);
  // KNN breaks ties (and distances it rounds alike) in no fixed order: a few extra neighbours,
  // cut below by (score, id) as every backend orders them, keep a page's edge stable.
  const reply = await client.sendCommand(
    vectorSearchArguments(index, prefilter, asBuffer(vector), limit + KNN_TIE_SLACK),
  );
  const hits = parseSearchReply(reply).map((hit) => ({
    id: idOf(hit.key, index),
    // COSINE distance is 1 - similarity; core scores with the similarity.
    score: 1 - Number(String(hit.fields.get(DISTANCE_FIELD))),
  }));
  const found = await records(hits.map((hit) => hit.id));
  const out: ScoredMemory[] = [];
  for (const { id, score } of hits) {
    const memory = found.get(id);
    if (memory && inSelection(memory, selection)) out.push({ memory, score });
  }
  return out
    .sort((a, b) => b.score - a.score || (a.memory.id < b.memory.id ? 1 : -1))
    .slice(0, limit);
}

const KNN_TIE_SLACK = 8;

// Per cached namespace (its records map, replaced whenever the namespace changes): how many
// records it holds and their expiry times, sorted, so an unfiltered count is a binary search.
const expiries = new WeakMap<ReadonlyMap<string, MemoryRecord>, Float64Array>();

/** How many of a cached namespace's records are live at `now`, without visiting each. */
export function liveCount(records: ReadonlyMap<string, MemoryRecord>, now: number): number {
  let times = expiries.get(records);
  if (!times) {
    const found: number[] = [];
    for (const record of records.values())
      if (record.expiresAt) found.push(record.expiresAt.getTime());
    times = Float64Array.from(found).sort();
    expiries.set(records, times);
  }
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! <= now) low = middle + 1;
    else high = middle;
  }
  return records.size - low;
}

/** What a keyword search needs besides the index: the scope's records and their terms. */
export interface ScopeStatistics {
  /** How many live memories the selection holds (BM25's N). */
  size(): Promise<number>;
  records: RecordsById;
  documents: Bm25DocumentCache;
}

/**
 * BM25 with the statistics of the scope searched, never the whole index: RediSearch only
 * finds the candidates (every memory in the selection holding a query stem, by core's own
 * stems in the `terms` field), and core scores them as plain mode and SQLite do. A tenant's
 * scores therefore never move with another tenant's writes.
 */
export async function searchKeywordInIndex(
  client: RedisClientLike,
  index: SearchIndex,
  selection: Selection,
  terms: readonly string[],
  limit: number,
  scope: ScopeStatistics,
): Promise<ScoredMemory[]> {
  const stems = queryStems(terms);
  if (stems.length === 0) return [];
  const prefilter = filterQuery(selection.scope, selection.filter, selection.now);
  const candidates = async () => {
    const ids: string[] = [];
    for (let offset = 0; ; offset += KEYWORD_PAGE) {
      const { total, keys } = parseKeysReply(
        await client.sendCommand(keywordSearchArguments(index, prefilter, stems, offset)),
      );
      for (const key of keys) ids.push(idOf(key, index));
      if (keys.length < KEYWORD_PAGE || offset + KEYWORD_PAGE >= total) return ids;
    }
  };
  const [ids, size] = await Promise.all([candidates(), scope.size()]);
  // Plain mode meets the scope's memories in id order; so do ties here.
  ids.sort();
  const found = await scope.records(ids);
  const documents = [];
  for (const id of ids) {
    const memory = found.get(id);
    if (memory && inSelection(memory, selection))
      documents.push(scope.documents(memory, memory.contentHash, memory.content));
  }
  // `terms`, not `stems`: bm25 stems what it is given, and a stem stemmed again may change.
  return bm25(documents, terms, limit, size).map(({ item, score }) => ({ memory: item, score }));
}
