import { type Bm25Document, queryStems } from "./bm25.js";
import {
  append,
  compact,
  DEAD_SHARE_TO_COMPACT,
  emptyPartition,
  type KeywordFilter,
  kindMask,
  MIN_ORDINALS_TO_COMPACT,
  type Partition,
  partitionCheck,
  sumAt,
} from "./keyword-partition.js";
import { finalScores, partitionCandidates } from "./keyword-scoring.js";

export type { KeywordFilter };

// Which ordinals a search has counted, by the search's mark: one buffer for every search, since a
// fresh buffer per search (100 KB at 100k documents) was most of what a hybrid recall allocated,
// and the garbage collections it caused were a fifth of its time.
const seen = { marks: new Uint32Array(1024), mark: 0 };

function seenMarks(size: number): typeof seen {
  if (seen.marks.length < size || seen.mark === 0xffff_ffff) {
    seen.marks = new Uint32Array(Math.max(size, seen.marks.length * 2));
    seen.mark = 0;
  }
  seen.mark += 1;
  return seen;
}

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
      const { marks, mark } = seenMarks(part.keys.length);
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
          if (marks[ord] !== mark) {
            marks[ord] = mark;
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
      const terms = stems.flatMap((stem, i) => {
        const posting = part.postings.get(stem);
        return posting && weights[i]! > 0 ? [{ i, stem, posting, weight: weights[i]! }] : [];
      });
      const check = checks[p]!;
      const mask = check.slow ? undefined : kindMask(codes);
      const ords = partitionCandidates(part, terms, averageLength, limit, check, mask).sort();
      // Final scores in the query's stem order, as `bm25` adds them.
      const scores = finalScores(part, ords, stems, weights, averageLength);
      ords.forEach((ord, j) => {
        found.push({ part: p, ord, score: scores[j]! });
      });
    }
    return found
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score || a.part - b.part || a.ord - b.ord)
      .slice(0, limit)
      .map((hit) => ({ item: parts[hit.part]!.keys[hit.ord]!, score: hit.score }));
  }
}
