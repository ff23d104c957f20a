import { BM25_B, BM25_K1, type Bm25Document, queryStems } from "./bm25.js";

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
interface Posting {
  ords: Int32Array;
  tfs: Uint16Array;
  size: number;
  df: number;
  byKind: number[];
  maxTf: number;
}

// One namespace. Ordinals grow with every write; a key's document moves to a new ordinal when
// it changes, and the order of ordinals breaks ties between equal scores.
interface Partition<K> {
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

const DEAD_SHARE_TO_COMPACT = 0.5;
const MIN_ORDINALS_TO_COMPACT = 1024;

/**
 * Inverted indexes for BM25, one per namespace, with the statistics BM25 needs kept as
 * documents come and go. A search reads only the postings of its query's stems, in typed
 * arrays, and prunes (MaxScore): once the terms still to read cannot lift a document that has
 * none of the terms read so far above the best `limit` scores, they only add to documents
 * already found. Scores and statistics are exactly those of `bm25` over the scope's matching
 * documents (see there): document frequencies, scope size and average length are the scope's,
 * after the filter.
 */
export class KeywordIndex<K> {
  readonly #partitions = new Map<string, Partition<K>>();
  readonly #partitionOf = new Map<K, string>();
  readonly #kindCodes = new Map<string, number>();

  get size(): number {
    return this.#partitionOf.size;
  }

  has(key: K): boolean {
    return this.#partitionOf.has(key);
  }

  /** The namespaces that hold a document. */
  namespaces(): string[] {
    return [...this.#partitions.keys()];
  }

  /** Adds or replaces a key's document, in its namespace's index. */
  set(
    namespace: string,
    key: K,
    document: Bm25Document<K>,
    kind = "",
    expiresAt = Number.POSITIVE_INFINITY,
  ): void {
    this.delete(key);
    let partition = this.#partitions.get(namespace);
    if (!partition) {
      partition = emptyPartition<K>(64);
      this.#partitions.set(namespace, partition);
    }
    let code = this.#kindCodes.get(kind);
    if (code === undefined) {
      code = this.#kindCodes.size;
      this.#kindCodes.set(kind, code);
    }
    append(partition, key, document, code, expiresAt);
    this.#partitionOf.set(key, namespace);
  }

  delete(key: K): void {
    const namespace = this.#partitionOf.get(key);
    if (namespace === undefined) return;
    this.#partitionOf.delete(key);
    const partition = this.#partitions.get(namespace)!;
    const ord = partition.ordinals.get(key)!;
    const document = partition.documents[ord]!;
    const code = partition.kinds[ord]!;
    partition.ordinals.delete(key);
    partition.alive[ord] = 0;
    partition.keys[ord] = undefined;
    partition.documents[ord] = undefined;
    partition.live -= 1;
    partition.liveLength -= document.length;
    partition.kindCount[code]! -= 1;
    partition.kindLength[code]! -= document.length;
    for (const stem of document.counts.keys()) {
      const posting = partition.postings.get(stem)!;
      posting.df -= 1;
      posting.byKind[code]! -= 1;
    }
    if (partition.live === 0) this.#partitions.delete(namespace);
    else if (
      partition.keys.length >= MIN_ORDINALS_TO_COMPACT &&
      partition.live < partition.keys.length * DEAD_SHARE_TO_COMPACT
    )
      this.#partitions.set(namespace, compact(partition));
  }

  clear(): void {
    this.#partitions.clear();
    this.#partitionOf.clear();
  }

  /**
   * The `limit` best BM25 matches in these namespaces that pass the filter, best first (equal
   * scores: earlier namespace, then earlier write). Statistics are those of the filtered scope.
   */
  search(
    namespaces: readonly string[],
    terms: string | readonly string[],
    limit: number,
    filter: KeywordFilter<K>,
  ): { item: K; score: number }[] {
    const stems = queryStems(terms);
    const parts = [...new Set(namespaces)].flatMap((ns) => this.#partitions.get(ns) ?? []);
    if (stems.length === 0 || parts.length === 0 || limit <= 0) return [];
    const codes = filter.kinds?.flatMap((kind) => this.#kindCodes.get(kind) ?? []);
    if (codes?.length === 0) return [];
    const checks = parts.map((part) => partitionCheck(part, codes, filter));

    // Scope statistics: size, each stem's document frequency, and the matching documents'
    // count and total length (BM25 normalises length by the matches' average, see `bm25`).
    let size = 0;
    const df = new Array<number>(stems.length).fill(0);
    let matches = 0;
    let matchLength = 0;
    for (const [p, part] of parts.entries()) {
      const check = checks[p]!;
      const postings = stems.map((stem) => part.postings.get(stem));
      if (!check.slow) {
        const kindsIn = codes ?? undefined;
        const partSize = kindsIn ? sumAt(part.kindCount, kindsIn) : part.live;
        size += partSize;
        const partDf = postings.map((posting) =>
          posting ? (kindsIn ? sumAt(posting.byKind, kindsIn) : posting.df) : 0,
        );
        partDf.forEach((value, i) => {
          df[i]! += value;
        });
        // A stem that every document in scope holds makes the matches the whole scope.
        if (partDf.some((value) => value === partSize) && partSize > 0) {
          matches += partSize;
          matchLength += kindsIn ? sumAt(part.kindLength, kindsIn) : part.liveLength;
          continue;
        }
      } else {
        for (let ord = 0; ord < part.keys.length; ord++) if (check.ok(ord)) size += 1;
      }
      const seen = new Uint8Array(part.keys.length);
      const { alive, kinds, lengths } = part;
      const mask = check.slow ? undefined : kindMask(codes);
      for (const [i, posting] of postings.entries()) {
        if (!posting) continue;
        const { ords } = posting;
        for (let j = 0; j < posting.size; j++) {
          const ord = ords[j]!;
          if (check.slow) {
            if (!check.ok(ord)) continue;
            df[i]! += 1;
          } else if (alive[ord] === 0 || (mask && mask[kinds[ord]!] !== 1)) continue;
          if (seen[ord] === 0) {
            seen[ord] = 1;
            matches += 1;
            matchLength += lengths[ord]!;
          }
        }
      }
    }
    if (matches === 0) return [];
    const n = Math.max(size, matches);
    const averageLength = matchLength / matches || 1;
    const weights = df.map((value) =>
      value > 0 ? Math.log(1 + (n - value + 0.5) / (value + 0.5)) : 0,
    );

    // Accumulate term at a time, the terms that can add most first.
    const found: { part: number; ord: number; score: number }[] = [];
    for (const [p, part] of parts.entries()) {
      const check = checks[p]!;
      const order = stems
        .map((stem, i) => ({ i, posting: part.postings.get(stem) }))
        .filter((term) => term.posting && weights[term.i]! > 0)
        .map((term) => ({
          ...term,
          bound:
            (weights[term.i]! * term.posting!.maxTf * (BM25_K1 + 1)) /
            (term.posting!.maxTf + BM25_K1 * (1 - BM25_B)),
        }))
        .sort((a, b) => b.bound - a.bound);
      // Zeroed buffers kept between searches: allocating them per search costs more than the
      // search itself at 100k documents.
      if (part.scores.length < part.keys.length) {
        part.scores = new Float64Array(part.alive.length);
        part.touched = new Int32Array(part.alive.length);
      } else if (part.scoring) part.scores.fill(0); // a caller's check threw mid-search
      part.scoring = true;
      const { scores, touched, alive, lengths, kinds } = part;
      const mask = check.slow ? undefined : kindMask(codes);
      let count = 0;
      let rest = order.reduce((sum, term) => sum + term.bound, 0);
      let admit = true;
      let best = 0;
      // A lower bound on the final k-th best score, once one is known.
      let floor = 0;
      for (const { i, posting, bound } of order) {
        const { ords, tfs } = posting!;
        // MaxScore: a document none of the earlier terms matched scores at most `rest`. The
        // k-th best score so far costs a pass over the documents found, so it is only worked
        // out when the best score so far says it might be above `rest`.
        if (admit && best > rest && count >= limit && posting!.size > limit) {
          floor = kthLargest(scores, touched, count, limit);
          admit = floor <= rest;
        }
        const weight = weights[i]! * (BM25_K1 + 1);
        for (let j = 0; j < posting!.size; j++) {
          const ord = ords[j]!;
          const before = scores[ord]!;
          if (before === 0) {
            if (!admit || alive[ord] === 0) continue;
            if (mask ? mask[kinds[ord]!] !== 1 : check.slow && !check.ok(ord)) continue;
            touched[count++] = ord;
          }
          const tf = tfs[j]!;
          const norm = BM25_K1 * (1 - BM25_B + (BM25_B * lengths[ord]!) / averageLength);
          const after = before + (weight * tf) / (tf + norm);
          scores[ord] = after;
          if (after > best) best = after;
        }
        rest -= bound;
      }
      const foundBefore = found.length;
      // Only documents at or above the floor can be among the best `limit`: keep those (in
      // the front of `touched`) and clear the rest's scores for the next search.
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const ord = touched[j]!;
        if (scores[ord]! >= floor) touched[kept++] = ord;
        else scores[ord] = 0;
      }
      if (kept > limit) {
        // Above the k-th best score all count; at it, the earliest written (equal scores are
        // common: memories alike but for a number).
        floor = kthLargest(scores, touched, kept, limit);
        const ties: number[] = [];
        for (let j = 0; j < kept; j++) {
          const ord = touched[j]!;
          if (scores[ord]! > floor) found.push({ part: p, ord, score: 0 });
          else if (scores[ord] === floor) ties.push(ord);
          scores[ord] = 0;
        }
        const earliest = Int32Array.from(ties).sort();
        const room = Math.min(earliest.length, Math.max(0, limit - (found.length - foundBefore)));
        for (let j = 0; j < room; j++) found.push({ part: p, ord: earliest[j]!, score: 0 });
      } else {
        for (let j = 0; j < kept; j++) {
          found.push({ part: p, ord: touched[j]!, score: 0 });
          scores[touched[j]!] = 0;
        }
      }
      part.scoring = false;
    }
    // Final scores in the query's stem order, as `bm25` adds them.
    for (const hit of found) {
      const part = parts[hit.part]!;
      const counts = part.documents[hit.ord]!.counts;
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * part.lengths[hit.ord]!) / averageLength);
      let score = 0;
      for (let i = 0; i < stems.length; i++) {
        const tf = weights[i]! > 0 ? counts.get(stems[i]!) : undefined;
        if (tf) score += (weights[i]! * tf * (BM25_K1 + 1)) / (tf + norm);
      }
      hit.score = score;
    }
    return found
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score || a.part - b.part || a.ord - b.ord)
      .slice(0, limit)
      .map((hit) => ({ item: parts[hit.part]!.keys[hit.ord]!, score: hit.score }));
  }
}

function sumAt(values: readonly number[], at: readonly number[]): number {
  let sum = 0;
  for (const index of at) sum += values[index] ?? 0;
  return sum;
}

// Which ordinals of a partition pass: `slow` when per-document checks are needed beyond what
// the kept counts answer (expiry within reach, or a caller's check).
function partitionCheck<K>(
  part: Partition<K>,
  codes: readonly number[] | undefined,
  filter: KeywordFilter<K>,
) {
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

// The k-th largest score among the first `count` touched ordinals (k <= count).
function kthLargest(scores: Float64Array, touched: Int32Array, count: number, k: number): number {
  const values = new Float64Array(count);
  for (let j = 0; j < count; j++) values[j] = scores[touched[j]!]!;
  let low = 0;
  let high = count - 1;
  const target = k - 1;
  // Quickselect, descending.
  while (low < high) {
    const pivot = values[(low + high) >> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}

// Per kind code, 1 when a search keeps that kind (undefined: every kind).
function kindMask(codes: readonly number[] | undefined): Uint8Array | undefined {
  if (!codes) return undefined;
  const mask = new Uint8Array(Math.max(0, ...codes) + 1);
  for (const code of codes) mask[code] = 1;
  return mask;
}

function emptyPartition<K>(capacity: number): Partition<K> {
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

function append<K>(
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
function compact<K>(part: Partition<K>): Partition<K> {
  const next = emptyPartition<K>(part.live);
  for (let ord = 0; ord < part.keys.length; ord++) {
    if (part.alive[ord] === 0) continue;
    append(next, part.keys[ord]!, part.documents[ord]!, part.kinds[ord]!, part.expires[ord]!);
  }
  return next;
}
