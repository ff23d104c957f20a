import type { Bm25Document } from "./bm25.js";

/** What a keyword search may keep, besides scope: kinds, expiry, and any other check. */
export interface KeywordFilter<K> {
  /** Only memories of these kinds (undefined: every kind). */
  kinds?: readonly string[] | undefined;
  /** Memories that expire at or before this instant (epoch ms) are gone. */
  now: number;
  /** Any further check, by key (undefined: none). Called at most once per key and search. */
  accept?: ((key: K) => boolean) | undefined;
}

// One term's documents in one namespace, by ordinal, in insertion order. Deleted documents stay
// until the partition is compacted; `df` counts live ones only (per kind code in `byKind`).
export interface Posting {
  ords: Int32Array;
  tfs: Uint16Array;
  size: number;
  df: number;
  byKind: number[];
  maxTf: number;
}

// One namespace. Ordinals grow with every write; a key's document moves to a new ordinal when
// it changes, and the order of ordinals breaks ties between equal scores.
export interface Partition<K> {
  keys: (K | undefined)[];
  documents: (Bm25Document<K> | undefined)[];
  ordinals: Map<K, number>;
  alive: Uint8Array;
  lengths: Float64Array;
  kinds: Uint16Array;
  expires: Float64Array;
  postings: Map<string, Posting>;
  live: number;
  liveLength: number;
  kindCount: number[];
  kindLength: number[];
  // A lower bound on the earliest expiry of a live document: only below it is expiry checked.
  earliestExpiry: number;
  // Scratch space for one search's scores, all zero between searches.
  scores: Float64Array;
  touched: Int32Array;
  scoring: boolean;
}

/** Whether one ordinal passes a search's filter; `slow` when the kept counts cannot say. */
export interface PartitionCheck {
  slow: boolean;
  ok(ord: number): boolean;
}

export const DEAD_SHARE_TO_COMPACT = 0.5;
export const MIN_ORDINALS_TO_COMPACT = 1024;

export function sumAt(values: readonly number[], at: readonly number[]): number {
  let sum = 0;
  for (const index of at) sum += values[index] ?? 0;
  return sum;
}

// Which ordinals of a partition pass: `slow` when per-document checks are needed beyond what
// the kept counts answer (expiry within reach, or a caller's check).
export function partitionCheck<K>(
  part: Partition<K>,
  codes: readonly number[] | undefined,
  filter: KeywordFilter<K>,
): PartitionCheck {
  const allowed = codes ? new Set(codes) : undefined;
  const expiring = part.earliestExpiry <= filter.now;
  const { accept } = filter;
  const slow = expiring || accept !== undefined;
  // Per ordinal, for this search: 0 not asked yet, 1 passes, 2 does not.
  const verdicts = accept ? new Uint8Array(part.keys.length) : undefined;
  const ok = (ord: number): boolean => {
    if (part.alive[ord] === 0) return false;
    if (allowed && !allowed.has(part.kinds[ord]!)) return false;
    if (expiring && part.expires[ord]! <= filter.now) return false;
    if (!verdicts) return true;
    if (verdicts[ord] === 0) verdicts[ord] = accept!(part.keys[ord]!) ? 1 : 2;
    return verdicts[ord] === 1;
  };
  return { slow, ok };
}

// Per kind code, 1 when a search keeps that kind (undefined: every kind).
export function kindMask(codes: readonly number[] | undefined): Uint8Array | undefined {
  if (!codes) return undefined;
  const mask = new Uint8Array(Math.max(0, ...codes) + 1);
  for (const code of codes) mask[code] = 1;
  return mask;
}

export function emptyPartition<K>(capacity: number): Partition<K> {
  return {
    keys: [],
    documents: [],
    ordinals: new Map(),
    alive: new Uint8Array(capacity),
    lengths: new Float64Array(capacity),
    kinds: new Uint16Array(capacity),
    expires: new Float64Array(capacity),
    postings: new Map(),
    live: 0,
    liveLength: 0,
    kindCount: [],
    kindLength: [],
    earliestExpiry: Number.POSITIVE_INFINITY,
    scores: new Float64Array(0),
    touched: new Int32Array(0),
    scoring: false,
  };
}

function grown<T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(
  array: T,
  needed: number,
): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(
    Math.max(needed, array.length * 2),
  );
  next.set(array);
  return next;
}

export function append<K>(
  part: Partition<K>,
  key: K,
  document: Bm25Document<K>,
  code: number,
  expiresAt: number,
): void {
  const ord = part.keys.length;
  part.keys.push(key);
  part.documents.push(document);
  part.ordinals.set(key, ord);
  part.alive = grown(part.alive, ord + 1);
  part.lengths = grown(part.lengths, ord + 1);
  part.kinds = grown(part.kinds, ord + 1);
  part.expires = grown(part.expires, ord + 1);
  part.alive[ord] = 1;
  part.lengths[ord] = document.length;
  part.kinds[ord] = code;
  part.expires[ord] = expiresAt;
  part.live += 1;
  part.liveLength += document.length;
  part.kindCount[code] = (part.kindCount[code] ?? 0) + 1;
  part.kindLength[code] = (part.kindLength[code] ?? 0) + document.length;
  if (expiresAt < part.earliestExpiry) part.earliestExpiry = expiresAt;
  for (const [stem, tf] of document.counts) {
    let posting = part.postings.get(stem);
    if (!posting) {
      posting = {
        ords: new Int32Array(4),
        tfs: new Uint16Array(4),
        size: 0,
        df: 0,
        byKind: [],
        maxTf: 0,
      };
      part.postings.set(stem, posting);
    }
    posting.ords = grown(posting.ords, posting.size + 1);
    posting.tfs = grown(posting.tfs, posting.size + 1);
    posting.ords[posting.size] = ord;
    posting.tfs[posting.size] = Math.min(tf, 65_535);
    posting.size += 1;
    posting.df += 1;
    posting.byKind[code] = (posting.byKind[code] ?? 0) + 1;
    if (tf > posting.maxTf) posting.maxTf = tf;
  }
}

// The same live documents at fresh ordinals, in the same order.
export function compact<K>(part: Partition<K>): Partition<K> {
  const next = emptyPartition<K>(part.live);
  for (let ord = 0; ord < part.keys.length; ord++) {
    if (part.alive[ord] === 0) continue;
    append(next, part.keys[ord]!, part.documents[ord]!, part.kinds[ord]!, part.expires[ord]!);
  }
  return next;
}
