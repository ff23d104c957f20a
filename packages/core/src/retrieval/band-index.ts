import {
  BANDS,
  bandKey,
  type HammingLimits,
  SIGNATURE_WORDS,
  withinDistanceAt,
} from "./lsh-signature.js";

/**
 * An in-process LSH index over signatures: bucket key -> entries, so the candidates of a probe
 * cost one map lookup per band plus one Hamming distance per entry found, not a scan.
 *
 * Entries live in numbered slots, their signatures side by side in one typed array: checking
 * a candidate touches contiguous memory instead of chasing an object per entry (about 35%
 * faster on 10k entries).
 */
export class BandIndex<K> {
  // Most buckets hold one slot: it is stored as is, and only a shared bucket gets an array.
  readonly #buckets = new Map<number, number | number[]>();
  readonly #slots = new Map<K, number>();
  readonly #keys: (K | undefined)[] = [];
  readonly #free: number[] = [];
  #signatures = new Uint32Array(64 * SIGNATURE_WORDS);
  // The query that last met each slot, so a slot found in several bands is checked once.
  #seen = new Int32Array(64);
  #query = 0;

  get size(): number {
    return this.#slots.size;
  }

  has(key: K): boolean {
    return this.#slots.has(key);
  }

  keys(): IterableIterator<K> {
    return this.#slots.keys();
  }

  /** Adds an entry, replacing its previous signature if it had one. */
  set(key: K, signature: Uint32Array): void {
    if (this.#slots.has(key)) this.delete(key);
    const slot = this.#free.pop() ?? this.#keys.length;
    if (slot === this.#keys.length) {
      this.#keys.push(key);
      if (this.#seen.length < this.#keys.length) this.#grow();
    } else this.#keys[slot] = key;
    this.#slots.set(key, slot);
    this.#signatures.set(signature, slot * SIGNATURE_WORDS);
    for (let band = 0; band < BANDS; band++) {
      const bucket = bandKey(signature, band);
      const held = this.#buckets.get(bucket);
      if (held === undefined) this.#buckets.set(bucket, slot);
      else if (typeof held === "number") this.#buckets.set(bucket, [held, slot]);
      else held.push(slot);
    }
  }

  delete(key: K): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    this.#slots.delete(key);
    this.#keys[slot] = undefined;
    this.#free.push(slot);
    const signature = this.#signatures.subarray(
      slot * SIGNATURE_WORDS,
      (slot + 1) * SIGNATURE_WORDS,
    );
    for (let band = 0; band < BANDS; band++) {
      const bucket = bandKey(signature, band);
      const held = this.#buckets.get(bucket);
      if (held === slot) this.#buckets.delete(bucket);
      else if (typeof held === "object") {
        const at = held.indexOf(slot);
        if (at !== -1) held.splice(at, 1);
        if (held.length === 1) this.#buckets.set(bucket, held[0]!);
      }
    }
  }

  /** Entries sharing a band with the signature and within the Hamming limits of it. */
  candidates(signature: Uint32Array, limits: HammingLimits): K[] {
    const query = ++this.#query;
    const seen = this.#seen;
    const signatures = this.#signatures;
    const found: K[] = [];
    for (let band = 0; band < BANDS; band++) {
      const held = this.#buckets.get(bandKey(signature, band));
      if (held === undefined) continue;
      if (typeof held === "number") {
        if (seen[held] === query) continue;
        seen[held] = query;
        if (withinDistanceAt(signature, signatures, held * SIGNATURE_WORDS, limits))
          found.push(this.#keys[held]!);
        continue;
      }
      for (let i = 0; i < held.length; i++) {
        const slot = held[i]!;
        if (seen[slot] === query) continue;
        seen[slot] = query;
        if (withinDistanceAt(signature, signatures, slot * SIGNATURE_WORDS, limits))
          found.push(this.#keys[slot]!);
      }
    }
    return found;
  }

  #grow(): void {
    const signatures = new Uint32Array(this.#signatures.length * 2);
    signatures.set(this.#signatures);
    this.#signatures = signatures;
    const seen = new Int32Array(this.#seen.length * 2);
    seen.set(this.#seen);
    this.#seen = seen;
  }
}
