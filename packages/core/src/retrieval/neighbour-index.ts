import { type ResolvedScope, scopeIncludes } from "../namespace/scope.js";
import { type GraphNodes, loadGraph, saveGraph } from "./graph-files.js";
import { createHnswGraph, type HnswGraph } from "./hnsw-graph.js";
import { VectorIndex } from "./vector-index.js";
import { TopK } from "./vector-math.js";

/** A namespace with fewer vectors than this is scanned exactly: that is both exact and fast. */
export const GRAPH_MIN_VECTORS = 2048;
/**
 * Vectors written since a partition's graph was last extended are scanned exactly until this
 * many have gathered; then the next search adds them to the graph in one batch.
 */
export const GRAPH_TAIL_MAX = 1024;
/** Graphs of at least this many vectors are searched with a beam of `WIDE_BEAM`. */
export const WIDE_BEAM_FROM = 20_000;
const WIDE_BEAM = 160;
/** Of a wide beam's results, at least this many (the best by the graph's scores) are rescored. */
const RESCORED = 64;
/** A graph extended by this many vectors at once is saved right away (when saving is on). */
export const GRAPH_SAVE_BATCH = 8192;
// A search first asks each partition for the results wanted plus a quarter more (at least
// MIN_CANDIDATES, at most MAX_EXTRA more: every extra candidate is a vector rescored), then four times as many while filters leave too few; past the cap the caller scans exactly. So does a
// scope that holds fewer than EXACT_BELOW times the candidates wanted: scanning it is as cheap.
const MAX_EXTRA = 100;
const EXACT_BELOW = 8;
const MIN_CANDIDATES = 40;
const MAX_CANDIDATES = 4096;

/** Of a batch of candidate keys, those that pass the caller's scope and filters. */
export type AcceptKeys<K> = (keys: readonly K[]) => ReadonlySet<K>;

/** A key found near a query, with its exact cosine similarity. */
export interface Neighbour<K> {
  item: K;
  score: number;
}

// One namespace's vectors of one kind: all of them in a flat matrix (exact scans and exact rescoring),
// and an HNSW graph over all but the most recently written (the tail).
interface Partition<K> {
  id: string;
  flat: VectorIndex<K>;
  graph: HnswGraph | undefined;
  labels: Map<K, number>;
  // Indexed by label (labels are handed out in order, so the array stays dense).
  keysByLabel: (K | undefined)[];
  tail: Set<K>;
  nextLabel: number;
  // The graph changed since it was last saved or loaded.
  dirty: boolean;
  // A saved graph was looked for (once per partition).
  restored: boolean;
}

/**
 * Approximate nearest neighbours in process, partitioned by namespace and kind: a search visits
 * only the partitions of namespaces (and kinds) in scope, so another tenant's vectors can never
 * displace a tenant's results, and a kind filter costs no more than a search of that kind alone.
 * Small partitions and the unindexed tail are scanned exactly; candidates are
 * always rescored exactly, and filtered out by the caller (`accept`) in batches, asking for more
 * until the top `limit` is full. When that would take too many candidates, `search` returns
 * `undefined` and the caller scans its selection exactly.
 */
export class NeighbourIndex<K> {
  // Partitions by id (namespace, NUL, kind), and each namespace's partition ids.
  readonly #partitions = new Map<string, Partition<K>>();
  readonly #kindsOf = new Map<string, Map<string, string>>();
  readonly #partitionOf = new Map<K, string>();

  /**
   * With `directory`, graphs are saved there (`persist`, and after large builds) and loaded
   * back by `restore`, so a store reopened needs not build them again.
   */
  constructor(
    readonly dimensions: number,
    readonly directory?: string,
  ) {}

  get size(): number {
    return this.#partitionOf.size;
  }

  has(key: K): boolean {
    return this.#partitionOf.has(key);
  }

  /** Makes room for `count` vectors in the partition of a namespace and kind (see `set`). */
  reserve(namespace: string, kind: string, count: number): void {
    this.#partition(namespace, kind).flat.reserve(count);
  }

  /** Adds or replaces a key's vector, in the partition of its namespace and kind. */
  set(namespace: string, key: K, vector: Float32Array, kind = ""): void {
    if (vector.length !== this.dimensions) return;
    const id = `${namespace}\u0000${kind}`;
    const held = this.#partitionOf.get(key);
    // Unchanged: keep its graph node (a store re-reading its rows sets most keys again).
    if (held === id && this.#partitions.get(id)!.flat.holds(key, vector)) return;
    if (held !== undefined && held !== id) this.delete(key);
    const partition = this.#partition(namespace, kind);
    this.#unlink(partition, key);
    partition.flat.set(key, vector);
    partition.tail.add(key);
    this.#partitionOf.set(key, id);
  }

  #partition(namespace: string, kind: string): Partition<K> {
    const id = `${namespace}\u0000${kind}`;
    let partition = this.#partitions.get(id);
    if (!partition) {
      partition = {
        id,
        flat: new VectorIndex<K>(this.dimensions, 64),
        graph: undefined,
        labels: new Map(),
        keysByLabel: [],
        tail: new Set(),
        nextLabel: 0,
        dirty: false,
        restored: false,
      };
      this.#partitions.set(id, partition);
      let kinds = this.#kindsOf.get(namespace);
      if (!kinds) {
        kinds = new Map();
        this.#kindsOf.set(namespace, kinds);
      }
      kinds.set(kind, id);
    }
    return partition;
  }

  delete(key: K): void {
    const id = this.#partitionOf.get(key);
    if (id === undefined) return;
    const partition = this.#partitions.get(id)!;
    this.#unlink(partition, key);
    partition.flat.delete(key);
    partition.tail.delete(key);
    this.#partitionOf.delete(key);
    if (partition.flat.size > 0) return;
    this.#partitions.delete(id);
    const split = id.indexOf("\u0000");
    const namespace = id.slice(0, split);
    const kinds = this.#kindsOf.get(namespace)!;
    kinds.delete(id.slice(split + 1));
    if (kinds.size === 0) this.#kindsOf.delete(namespace);
  }

  clear(): void {
    this.#partitions.clear();
    this.#kindsOf.clear();
    this.#partitionOf.clear();
  }

  /** How many vectors are outside any graph (scanned exactly until they join one). */
  get unindexed(): number {
    let count = 0;
    for (const partition of this.#partitions.values())
      count += partition.graph ? partition.tail.size : partition.flat.size;
    return count;
  }

  /** Every key held. */
  keys(): K[] {
    return [...this.#partitionOf.keys()];
  }

  /** The exact similarity of a key's vector to `query`; `undefined` for a key without one. */
  similarity(key: K, query: Float32Array): number | undefined {
    const id = this.#partitionOf.get(key);
    return id === undefined ? undefined : this.#partitions.get(id)?.flat.similarity(key, query);
  }

  /** Encoded namespaces in scope that hold a vector here. */
  namespacesIn(scope: ResolvedScope): string[] {
    return [...this.#kindsOf.keys()].filter((namespace) => scopeIncludes(scope, namespace));
  }

  /**
   * The `limit` nearest keys in these namespaces that `accept` lets through, best first, or
   * `undefined` when an exact scan of the selection is as cheap: a small scope, or filters
   * that reject so much that the index would have to return most of it. With `kinds`, only
   * those kinds' partitions are searched (`accept` need not check kinds then).
   */
  search(
    query: Float32Array,
    namespaces: readonly string[],
    limit: number,
    accept: AcceptKeys<K>,
    kinds?: readonly string[],
  ): Neighbour<K>[] | undefined {
    if (query.length !== this.dimensions) return [];
    const partitions = [...new Set(namespaces)].flatMap((namespace) => {
      const held = this.#kindsOf.get(namespace);
      if (!held) return [];
      const ids = kinds ? kinds.flatMap((kind) => held.get(kind) ?? []) : [...held.values()];
      return ids.map((id) => this.#partitions.get(id)!);
    });
    if (limit <= 0 || partitions.length === 0) return [];
    const total = partitions.reduce((sum, partition) => sum + partition.flat.size, 0);
    const first = Math.max(limit + Math.min(Math.ceil(limit / 4), MAX_EXTRA), MIN_CANDIDATES);
    if (total < GRAPH_MIN_VECTORS || first * EXACT_BELOW >= total) return undefined;
    for (let want = first; ; want *= 4) {
      const { candidates, complete } = this.#candidates(partitions, query, want);
      const passed = accept(candidates.map((candidate) => candidate.item));
      const found: Neighbour<K>[] = [];
      for (const candidate of candidates) {
        if (!passed.has(candidate.item)) continue;
        found.push(candidate);
        if (found.length === limit) return found;
      }
      // Every vector in scope was scored: what passed is all there is.
      if (complete) return found;
      if (want * 4 > MAX_CANDIDATES || want * 4 * EXACT_BELOW >= total) return undefined;
    }
  }

  /** The `limit` nearest among these keys, scanned exactly (the fallback of `search`). */
  scan(query: Float32Array, keys: Iterable<K>, limit: number): Neighbour<K>[] {
    const top = new TopK<K>(limit);
    const byNamespace = new Map<Partition<K>, K[]>();
    for (const key of keys) {
      const namespace = this.#partitionOf.get(key);
      const partition = namespace === undefined ? undefined : this.#partitions.get(namespace);
      if (!partition) continue;
      const list = byNamespace.get(partition);
      if (list) list.push(key);
      else byNamespace.set(partition, [key]);
    }
    for (const [partition, list] of byNamespace) partition.flat.scan(query, list, top);
    return top.sorted();
  }

  // Up to `want` candidates from each partition, merged and rescored exactly, best first.
  #candidates(partitions: readonly Partition<K>[], query: Float32Array, want: number) {
    const top = new TopK<K>(want);
    let complete = true;
    for (const partition of partitions) {
      this.#extendGraph(partition);
      const { graph, flat } = partition;
      if (!graph || graph.size === 0) {
        flat.scan(query, flat.keys(), top);
        continue;
      }
      // A beam of 64 finds 10 true neighbours among 40 candidates at 10k vectors but not at
      // 100k (recall@10 0.89); usearch widens its beam to the candidates asked for, so a large
      // graph is asked for more. Its results come best first by their 8-bit scores, close
      // enough that rescoring only the first `want` (at least RESCORED) finds the same top 10
      // as rescoring all of them (90k clustered 384-d vectors).
      const asked = graph.size >= WIDE_BEAM_FROM ? Math.max(want, WIDE_BEAM) : want;
      const labels = graph.search(query, Math.min(asked, graph.size));
      if (labels.length < graph.size) complete = false;
      const rescored = Math.min(labels.length, Math.max(want, RESCORED));
      const keys: K[] = [];
      for (let i = 0; i < rescored; i++) {
        const key = partition.keysByLabel[labels[i]!];
        if (key !== undefined) keys.push(key);
      }
      flat.scan(query, keys, top);
      flat.scan(query, partition.tail, top);
    }
    // A merged top cut at `want` may have dropped vectors: only then is it not the whole scope.
    const candidates = top.sorted();
    return { candidates, complete: complete && candidates.length < want };
  }

  // Builds the graph once a partition is large enough, and folds a long tail into it.
  #extendGraph(partition: Partition<K>): void {
    if (partition.flat.size < GRAPH_MIN_VECTORS) return;
    if (partition.graph && partition.tail.size <= GRAPH_TAIL_MAX) return;
    partition.graph ??= createHnswGraph(this.dimensions);
    if (!partition.graph) return;
    const keys = [...partition.tail];
    const labels = keys.map(() => partition.nextLabel++);
    const vectors = new Float32Array(keys.length * this.dimensions);
    keys.forEach((key, row) => {
      partition.flat.copyInto(key, vectors, row * this.dimensions);
      partition.labels.set(key, labels[row]!);
      partition.keysByLabel[labels[row]!] = key;
    });
    partition.graph.add(labels, vectors);
    partition.tail.clear();
    partition.dirty = true;
    if (keys.length >= GRAPH_SAVE_BATCH) this.#save(partition);
  }

  /** Saves every graph changed since it was loaded or last saved (with a `directory`). */
  persist(): void {
    for (const partition of this.#partitions.values()) if (partition.dirty) this.#save(partition);
  }

  /**
   * Loads the saved graphs of these namespaces' partitions (default: all) that have not looked
   * for one yet. A saved node counts only if its key is here with the very vector it was saved
   * with; every other node is removed, and vectors the graph lacks join the tail, so a stale
   * file can cost recall, never correctness: candidates are always rescored from the vectors
   * held here.
   */
  restore(namespaces?: readonly string[]): void {
    if (!this.directory) return;
    const wanted = namespaces ? new Set(namespaces) : undefined;
    for (const [id, partition] of this.#partitions) {
      if (partition.restored || partition.graph) continue;
      if (wanted && !wanted.has(id.slice(0, id.indexOf("\u0000")))) continue;
      partition.restored = true;
      if (partition.flat.size < GRAPH_MIN_VECTORS) continue;
      const graph = createHnswGraph(this.dimensions);
      if (!graph) return;
      const nodes: GraphNodes<K> | undefined = loadGraph<K>(
        this.directory,
        id,
        this.dimensions,
        graph,
      );
      if (!nodes) continue;
      let stale = 0;
      for (let i = 0; i < nodes.keys.length; i++) {
        const key: K = nodes.keys[i]!;
        const label: number = nodes.labels[i]!;
        partition.nextLabel = Math.max(partition.nextLabel, label + 1);
        if (
          partition.tail.has(key) &&
          !partition.labels.has(key) &&
          partition.flat.checksum(key) === nodes.sums[i]
        ) {
          partition.labels.set(key, label);
          partition.keysByLabel[label] = key;
          partition.tail.delete(key);
        } else {
          graph.remove(label);
          stale += 1;
        }
      }
      partition.graph = graph;
      partition.dirty = stale > 0;
    }
  }

  #save(partition: Partition<K>): void {
    if (!this.directory || !partition.graph) return;
    const keys = [...partition.labels.keys()];
    try {
      saveGraph(this.directory, partition.id, this.dimensions, partition.graph, {
        keys,
        labels: keys.map((key) => partition.labels.get(key)!),
        sums: keys.map((key) => partition.flat.checksum(key)!),
      });
      partition.dirty = false;
    } catch {
      // A cache that cannot be written (read-only or full disk) only costs a rebuild later.
    }
  }

  #unlink(partition: Partition<K>, key: K): void {
    const label = partition.labels.get(key);
    if (label === undefined) return;
    partition.graph?.remove(label);
    partition.dirty = true;
    partition.labels.delete(key);
    partition.keysByLabel[label] = undefined;
  }
}
