import type { SearchCandidate } from "../backend.js";
import type { CandidateRow } from "./search-hits.js";

// Per slot in `numbers`: importance, created_at, updated_at, access_count.
const NUMBERS = 4;

/**
 * Ranking's fields of many rows, by rid, in columns, each namespace's name held once: 100k rows
 * read from SQLite take 28 MB this way against 39 MB as an object each. A row dropped leaves
 * its slot empty until `clear`.
 */
export class HeldFields {
  readonly #slotOf = new Map<number, number>();
  readonly #ridOf = new Map<string, number>();
  readonly #names = new Map<string, string>();
  #ids: (string | undefined)[] = [];
  #namespaces: string[] = [];
  #hashes: string[] = [];
  #numbers = new Float64Array(NUMBERS * 1024);
  #pinned = new Uint8Array(1024);
  #next = 0;

  /** Slots handed out since the last `clear`, dropped rows' included. */
  get slots(): number {
    return this.#next;
  }

  has(rid: number): boolean {
    return this.#slotOf.has(rid);
  }

  ridOf(id: string): number | undefined {
    return this.#ridOf.get(id);
  }

  hold(row: CandidateRow): void {
    let slot = this.#slotOf.get(row.rid);
    if (slot === undefined) {
      slot = this.#next++;
      if (slot >= this.#pinned.length) this.#grow();
      this.#slotOf.set(row.rid, slot);
    } else if (this.#ids[slot] !== row.id && this.#ridOf.get(this.#ids[slot]!) === row.rid)
      this.#ridOf.delete(this.#ids[slot]!);
    let namespace = this.#names.get(row.namespace);
    if (namespace === undefined) {
      namespace = row.namespace;
      this.#names.set(namespace, namespace);
    }
    this.#ids[slot] = row.id;
    this.#namespaces[slot] = namespace;
    this.#hashes[slot] = row.content_hash;
    const at = slot * NUMBERS;
    this.#numbers[at] = row.importance;
    this.#numbers[at + 1] = row.created_at;
    this.#numbers[at + 2] = row.updated_at;
    this.#numbers[at + 3] = row.access_count;
    this.#pinned[slot] = row.pinned;
    this.#ridOf.set(row.id, row.rid);
  }

  forget(rid: number): void {
    const slot = this.#slotOf.get(rid);
    if (slot === undefined) return;
    this.#slotOf.delete(rid);
    const id = this.#ids[slot]!;
    if (this.#ridOf.get(id) === rid) this.#ridOf.delete(id);
    this.#ids[slot] = undefined;
  }

  /** Adds uses to a held row's count; false if the row is not held. */
  addUses(id: string, count: number): boolean {
    const rid = this.#ridOf.get(id);
    if (rid === undefined) return false;
    this.#numbers[this.#slotOf.get(rid)! * NUMBERS + 3]! += count;
    return true;
  }

  /** A held row as a candidate with this score (its uses as held; the caller adds its own). */
  candidate(rid: number, score: number): SearchCandidate | undefined {
    const slot = this.#slotOf.get(rid);
    if (slot === undefined) return undefined;
    const at = slot * NUMBERS;
    return {
      id: this.#ids[slot]!,
      score,
      namespace: this.#namespaces[slot]!,
      createdAt: this.#numbers[at + 1]!,
      updatedAt: this.#numbers[at + 2]!,
      importance: this.#numbers[at]!,
      pinned: this.#pinned[slot] === 1,
      accessCount: this.#numbers[at + 3]!,
      contentHash: this.#hashes[slot]!,
    };
  }

  clear(): void {
    this.#slotOf.clear();
    this.#ridOf.clear();
    this.#names.clear();
    this.#ids = [];
    this.#namespaces = [];
    this.#hashes = [];
    this.#numbers = new Float64Array(NUMBERS * 1024);
    this.#pinned = new Uint8Array(1024);
    this.#next = 0;
  }

  #grow(): void {
    const numbers = new Float64Array(this.#numbers.length * 2);
    numbers.set(this.#numbers);
    this.#numbers = numbers;
    const pinned = new Uint8Array(this.#pinned.length * 2);
    pinned.set(this.#pinned);
    this.#pinned = pinned;
  }
}
