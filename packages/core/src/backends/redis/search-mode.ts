import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import { scopeIncludes } from "../../namespace/scope.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { vectorToBytes } from "../../retrieval/vector-math.js";
import type { ScoredMemory, Selection } from "../backend.js";
import { hashToRecord, RECORD_FIELDS } from "./record-hash.js";
import { AS_BUFFERS, type RedisClientLike } from "./redis-client.js";
import {
  createIndexArguments,
  DISTANCE_FIELD,
  filterQuery,
  indexedDimensions,
  keywordSearchArguments,
  parseSearchReply,
  type SearchHit,
  type SearchIndex,
  vectorSearchArguments,
} from "./search-query.js";

/** The version RediSearch must have: 2.6 brought KNN prefilters with DIALECT 2 as used here. */
export const MIN_SEARCH_VERSION = 20600;

/** True when a RESP2 MODULE LIST reply names RediSearch 2.6 or later. */
export function hasSearchModule(modules: unknown): boolean {
  if (!Array.isArray(modules)) return false;
  return modules.some((module) => {
    if (!Array.isArray(module)) return false;
    const fields = module.map(String);
    const name = fields[fields.indexOf("name") + 1] ?? "";
    const version = Number(fields[fields.indexOf("ver") + 1] ?? 0);
    return (name === "search" || name === "ft") && version >= MIN_SEARCH_VERSION;
  });
}

async function info(client: RedisClientLike, name: string): Promise<unknown | undefined> {
  try {
    return await client.sendCommand(["FT.INFO", name]);
  } catch (error) {
    if (/unknown index|no such index/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

function assertDimensions(index: SearchIndex, reply: unknown): void {
  const dimensions = indexedDimensions(reply);
  if (dimensions !== undefined && dimensions !== index.dimensions) {
    throw new EngramError(
      "DIMENSION_MISMATCH",
      `The RediSearch index ${index.name} holds ${dimensions}-dimensional vectors; this store's ` +
        `embedder makes ${index.dimensions}. Drop the index (FT.DROPINDEX) or use another prefix.`,
      { details: { expected: dimensions, actual: index.dimensions, index: index.name } },
    );
  }
}

/**
 * Creates the index unless it exists. Safe when several processes start at once: the
 * loser of the race gets "Index already exists" and checks the winner's index instead.
 */
export async function ensureSearchIndex(
  client: RedisClientLike,
  index: SearchIndex,
): Promise<void> {
  const existing = await info(client, index.name);
  if (existing !== undefined) return assertDimensions(index, existing);
  try {
    await client.sendCommand(createIndexArguments(index));
  } catch (error) {
    if (!/already exists/i.test((error as Error).message)) throw error;
    assertDimensions(index, await info(client, index.name));
  }
}

const RETURNED = [...RECORD_FIELDS];

function toMemory(hit: SearchHit, selection: Selection): MemoryRecord | undefined {
  const record = hashToRecord(RETURNED.map((field) => hit.fields.get(field) ?? null));
  // The index already applied all this; checking again costs nothing and keeps an expired
  // or out-of-scope memory out even if a hash outlived its index entry.
  if (!record) return undefined;
  if (!scopeIncludes(selection.scope, encodeNamespace(record.namespace))) return undefined;
  return matchesFilter(record, selection.filter, selection.now) ? record : undefined;
}

/** KNN over the index, prefiltered by scope, filter and expiry, in one round trip. */
export async function searchVectorInIndex(
  client: RedisClientLike,
  index: SearchIndex,
  selection: Selection,
  vector: Float32Array,
  limit: number,
): Promise<ScoredMemory[]> {
  const bytes = vectorToBytes(vector);
  const prefilter = filterQuery(selection.scope, selection.filter, selection.now);
  const reply = await client.sendCommand(
    vectorSearchArguments(
      index,
      prefilter,
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      limit,
      RETURNED,
    ),
    AS_BUFFERS,
  );
  const out: ScoredMemory[] = [];
  for (const hit of parseSearchReply(reply, false)) {
    const memory = toMemory(hit, selection);
    // COSINE distance is 1 - similarity; core scores with the similarity.
    if (memory) out.push({ memory, score: 1 - Number(String(hit.fields.get(DISTANCE_FIELD))) });
  }
  return out;
}

/** BM25 over the indexed content, prefiltered like the vector search. */
export async function searchKeywordInIndex(
  client: RedisClientLike,
  index: SearchIndex,
  selection: Selection,
  terms: readonly string[],
  limit: number,
): Promise<ScoredMemory[]> {
  if (terms.length === 0) return [];
  const prefilter = filterQuery(selection.scope, selection.filter, selection.now);
  const reply = await client.sendCommand(
    keywordSearchArguments(index, prefilter, terms, limit, RETURNED),
    AS_BUFFERS,
  );
  const out: ScoredMemory[] = [];
  for (const hit of parseSearchReply(reply, true)) {
    const memory = toMemory(hit, selection);
    if (memory) out.push({ memory, score: hit.score ?? 0 });
  }
  return out;
}
