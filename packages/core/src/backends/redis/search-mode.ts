import { createHash } from "node:crypto";
import { EngramError } from "../../errors/engram-error.js";
import { encodeNamespace } from "../../namespace/namespace.js";
import { scopeIncludes } from "../../namespace/scope.js";
import type { MemoryRecord } from "../../record/memory-record.js";
import { matchesFilter } from "../../retrieval/filter.js";
import { vectorToBytes } from "../../retrieval/vector-math.js";
import type { ScoredMemory, Selection } from "../backend.js";
import { ACCESS_FIELDS, addAccess, hashToRecord, RECORD_FIELDS } from "./record-hash.js";
import type { RedisClientLike } from "./redis-client.js";
import {
  createIndexArguments,
  DISTANCE_FIELD,
  filterQuery,
  type KnnPolicy,
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

/**
 * The live records of these ids at `now`, in their order (`undefined` for gone or expired ones);
 * `tenant`, when every id is known to be of that tenant.
 */
export type ReadRecords = (
  ids: readonly string[],
  now: number,
  tenant?: string,
) => Promise<(MemoryRecord | undefined)[]>;

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
  return parseHits(reply, index);
}

function parseHits(reply: unknown, index: SearchIndex): KnnHit[] {
  return parseSearchReply(reply).map((hit) => ({
    id: idOf(hit.key, index),
    score: similarity(hit.fields.get(DISTANCE_FIELD)),
  }));
}

// ARGV: n, then the n arguments of an FT.SEARCH (after its name) that returns the distance
// only; `keep`, how many results the caller keeps (0: all); the key prefix of the memory
// hashes, then of the access hashes; f, the f record fields, then the access fields.
// Reads only the hits that can be among the `keep` best: the `keep` most similar and any as
// similar as the last of them (the caller cuts ties by id), computing similarity as the caller
// does (1 - distance, in doubles); if one of those is gone, every hit. Replies with how many
// hits it left unread, then four entries per hit read: its id, its distance, and HMGET's
// replies for its record and its access hash. The hits' keys come from the index, so they
// cannot be declared. A memory's key is `<memory prefix><tag>}:<id>` and its access hash's
// `<access prefix><tag>}:<id>`. On a cluster the hits on one master may lie in several slots
// (a scope of several tenants): hence `allow-cross-slot-keys` (Redis 7); a master's index
// holds only its own keys, so every key read is local.
const KNN_AND_READ = `#!lua flags=allow-cross-slot-keys
local n = tonumber(ARGV[1])
local search = {}
for i = 1, n do search[i] = ARGV[i + 1] end
local keep = tonumber(ARGV[n + 2])
local memoryPrefix, accessPrefix = ARGV[n + 3], ARGV[n + 4]
local f = tonumber(ARGV[n + 5])
local fields, uses = {}, {}
for i = 1, f do fields[i] = ARGV[n + 5 + i] end
for i = n + f + 6, #ARGV do uses[#uses + 1] = ARGV[i] end
local reply = redis.call('FT.SEARCH', unpack(search))
local keys, distances, scores = {}, {}, {}
for i = 2, #reply, 2 do
  local returned = reply[i + 1]
  local distance = false
  for j = 1, #returned, 2 do
    if returned[j] == '${DISTANCE_FIELD}' then distance = returned[j + 1] end
  end
  keys[#keys + 1] = reply[i]
  distances[#keys] = distance
  scores[#keys] = 1 - (tonumber(distance) or 1)
end
local least = -math.huge
if keep > 0 and #keys > keep then
  local sorted = {}
  for i, score in ipairs(scores) do sorted[i] = score end
  table.sort(sorted, function(a, b) return a > b end)
  least = sorted[keep]
end
local out, read = {0}, {}
local function readHit(i)
  read[i] = true
  local rest = string.sub(keys[i], #memoryPrefix + 1)
  local id = string.sub(rest, string.find(rest, '}:', 1, true) + 2)
  local record = redis.call('HMGET', keys[i], unpack(fields))
  out[#out + 1] = id
  out[#out + 1] = distances[i]
  out[#out + 1] = record
  out[#out + 1] = redis.call('HMGET', accessPrefix .. rest, unpack(uses))
  return record[1]
end
local gone = false
for i = 1, #keys do
  if scores[i] >= least and not readHit(i) then gone = true end
end
for i = 1, #keys do
  if not read[i] then
    if gone then readHit(i) else out[1] = out[1] + 1 end
  end
end
return out`;

// What a server that cannot run FT.SEARCH inside a script says: a coordinator (Redis
// Enterprise, clustered Redis Cloud) blocks, and some servers refuse module commands there.
const SCRIPT_REFUSED =
  /blocking module command|cannot block|not allowed from script|unknown command|noperm/i;

/** Where a search's hits are read from. */
export interface HitReads {
  /** What every access hash's key starts with: then come the tag and id (`keys.access`). */
  accessPrefix: string;
  /** The records of ids, for a server that refuses FT.SEARCH inside a script. */
  records: ReadRecords;
  /** Told once if the server refuses the script, so searches take two round trips. */
  log: (message: string) => void;
}

/** The connections a search uses. */
export interface SearchConnections {
  /** Where records are read and uses recorded: the script runs here, in their order. */
  reads: RedisClientLike;
  /** A RESP2 connection for a bare FT.SEARCH (its reply is parsed as RESP2). */
  search: RedisClientLike;
}

/**
 * Vector search over the index, prefiltered by scope, filter and expiry. One round trip: a
 * script runs the KNN and reads beside it the records and uses of the hits that can make the
 * results (a script's replies are the same in RESP2 and RESP3). A server that refuses
 * FT.SEARCH inside a script gets the KNN, then pipelined HMGETs of every hit, from then on.
 */
export function indexSearch(reads: HitReads) {
  let scripted = true;
  const script = cachedScript(KNN_AND_READ);
  return async function searchVectorInIndex(
    connections: SearchConnections,
    index: SearchIndex,
    selection: Selection,
    vector: Float32Array,
    limit: number,
    policy: KnnPolicy,
    tenant?: string,
  ): Promise<ScoredMemory[]> {
    const prefilter = filterQuery(selection.scope, selection.filter, selection.now);
    const search = vectorSearchArguments(
      index,
      prefilter,
      asBuffer(vector),
      knnSize(limit),
      policy,
    );
    const kept = (hits: Hit[]) => {
      const out: ScoredMemory[] = [];
      for (const { memory, score } of hits)
        if (memory && inSelection(memory, selection)) out.push({ memory, score });
      return out;
    };
    let out: ScoredMemory[] | undefined;
    if (scripted) {
      try {
        const run = (keep: number) =>
          knnAndRead(connections.reads, script, index, search, keep, reads.accessPrefix);
        const { hits, unread } = await run(limit);
        out = kept(hits);
        // The index matched a hit its record no longer does: the unread ones may be needed.
        if (out.length < hits.length && unread > 0) out = kept((await run(0)).hits);
      } catch (error) {
        if (!SCRIPT_REFUSED.test((error as Error).message)) throw error;
        scripted = false;
        reads.log(
          `[engram] Redis: FT.SEARCH cannot run inside a script here (${(error as Error).message}); ` +
            "each vector search now takes two round trips",
        );
      }
    }
    out ??= kept(
      await knnThenRead(connections.search, index, search, (ids) =>
        reads.records(ids, selection.now, tenant),
      ),
    );
    return out
      .sort((a, b) => b.score - a.score || (a.memory.id < b.memory.id ? 1 : -1))
      .slice(0, limit);
  };
}

type Hit = { memory: MemoryRecord | undefined; score: number };

// COSINE distance is 1 - similarity; core scores with the similarity.
const similarity = (distance: unknown) => 1 - Number(String(distance));

/** A script run by its SHA1 (EVALSHA), sent whole only when the server does not know it. */
function cachedScript(body: string) {
  const sha = createHash("sha1").update(body).digest("hex");
  return async (client: RedisClientLike, args: (string | Buffer)[]) => {
    try {
      return await client.sendCommand(["EVALSHA", sha, ...args]);
    } catch (error) {
      if (!/noscript/i.test((error as Error).message)) throw error;
      return client.sendCommand(["EVAL", body, ...args]);
    }
  };
}

async function knnAndRead(
  client: RedisClientLike,
  script: ReturnType<typeof cachedScript>,
  index: SearchIndex,
  search: (string | Buffer)[],
  keep: number,
  accessPrefix: string,
): Promise<{ hits: Hit[]; unread: number }> {
  const reply = (await script(client, [
    "0",
    String(search.length - 1),
    ...search.slice(1),
    String(keep),
    index.keyPrefix,
    accessPrefix,
    String(RECORD_FIELDS.length),
    ...RECORD_FIELDS,
    ...ACCESS_FIELDS,
  ])) as unknown[];
  const hits: Hit[] = [];
  for (let i = 1; i + 3 < reply.length; i += 4) {
    const fields = reply[i + 2] as (string | null)[];
    const uses = reply[i + 3] as (string | null)[];
    const record = hashToRecord(fields);
    hits.push({ memory: record && addAccess(record, uses), score: similarity(reply[i + 1]) });
  }
  return { hits, unread: Number(reply[0]) };
}

async function knnThenRead(
  client: RedisClientLike,
  index: SearchIndex,
  search: (string | Buffer)[],
  records: (ids: readonly string[]) => Promise<(MemoryRecord | undefined)[]>,
): Promise<Hit[]> {
  const found = parseHits(await client.sendCommand(search), index);
  const read = await records(found.map((hit) => hit.id));
  return found.map(({ score }, at) => ({ memory: read[at], score }));
}

// KNN breaks ties (and distances it rounds alike) in no fixed order: a few extra neighbours,
// cut by (score, id) as every backend orders them, keep a page's edge stable.
const KNN_TIE_SLACK = 8;

/** How many neighbours a KNN for `limit` results asks RediSearch for. */
export function knnSize(limit: number): number {
  return limit + KNN_TIE_SLACK;
}
