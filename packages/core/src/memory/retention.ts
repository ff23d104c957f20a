import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace } from "../namespace/namespace.js";
import type { MemoryRecord } from "../record/memory-record.js";
import type { MemoryContext } from "./context.js";

/** How many memories a namespace keeps, and which go first when it is full. */
export interface RetentionOptions {
  /**
   * Most memories one namespace holds (that namespace exactly, not its subtree). A remember
   * that would pass it evicts the memories with the lowest retention score. Pinned memories
   * are never evicted. Default: no limit.
   */
  capacity?: number | undefined;
  /** Time since a memory was last updated or recalled at which its decay halves; 30 days. */
  halfLifeMs?: number;
}

/** Retention options with defaults applied. */
export interface RetentionPolicy {
  capacity: number | undefined;
  halfLifeMs: number;
}

const retentionSchema = z.strictObject({
  capacity: z.number().int().min(1).optional(),
  halfLifeMs: z.number().positive().optional(),
});

/** Validates retention options; throws `INVALID_ARGUMENT` on a bad value. */
export function toRetentionPolicy(options: RetentionOptions | undefined): RetentionPolicy {
  const result = retentionSchema.safeParse(options ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EngramError(
      "INVALID_ARGUMENT",
      `Invalid retention option ${issue.path.join(".")}: ${issue.message}.`,
      { details: { issues: [{ path: issue.path.map(String), message: issue.message }] } },
    );
  }
  return {
    capacity: result.data.capacity,
    halfLifeMs: result.data.halfLifeMs ?? 30 * 86_400_000,
  };
}

/**
 * How much a memory is worth keeping, in [0, 1]: decay × importance × use. Decay halves every
 * half-life since the memory was last updated or recalled. Importance and use never reach zero
 * on their own, so an unimportant, never-recalled memory still ranks by age.
 */
export function retentionScore(memory: MemoryRecord, now: number, halfLifeMs: number): number {
  const last = Math.max(memory.updatedAt.getTime(), memory.lastAccessedAt?.getTime() ?? 0);
  const decay = 0.5 ** (Math.max(0, now - last) / halfLifeMs);
  const importance = 0.1 + 0.9 * memory.importance;
  // Saturates like the ranking signal: the hundredth recall adds little over the fiftieth.
  const use = 0.5 + 0.5 * Math.min(1, Math.log1p(memory.accessCount) / Math.log1p(100));
  return decay * importance * use;
}

/**
 * The `count` memories to evict first: never pinned ones, lowest retention first, the least
 * recently touched first among equals.
 */
export function evictionOrder(
  memories: readonly MemoryRecord[],
  count: number,
  now: number,
  halfLifeMs: number,
): MemoryRecord[] {
  if (count <= 0) return [];
  const touchedAt = (m: MemoryRecord) =>
    Math.max(m.updatedAt.getTime(), m.lastAccessedAt?.getTime() ?? 0);
  return memories
    .filter((memory) => !memory.pinned)
    .map((memory) => ({ memory, score: retentionScore(memory, now, halfLifeMs) }))
    .sort(
      (a, b) =>
        a.score - b.score ||
        touchedAt(a.memory) - touchedAt(b.memory) ||
        (a.memory.id < b.memory.id ? -1 : 1),
    )
    .slice(0, count)
    .map(({ memory }) => memory);
}

/**
 * What a remember must evict to keep each namespace within capacity, given what it writes.
 * The memories it writes are never chosen.
 */
export async function evictionsForRemember(
  context: MemoryContext,
  written: readonly { memory: MemoryRecord; action: string }[],
  now: number,
): Promise<MemoryRecord[]> {
  const { capacity, halfLifeMs } = context.retention;
  if (capacity === undefined) return [];
  const created = new Map<string, number>();
  for (const { memory, action } of written) {
    if (action !== "created") continue;
    const encoded = encodeNamespace(memory.namespace);
    created.set(encoded, (created.get(encoded) ?? 0) + 1);
  }
  const spared = new Set(written.map(({ memory }) => memory.id));
  const doomed: MemoryRecord[] = [];
  for (const [encoded, count] of created) {
    const ids = await context.backend.selectIds({
      scope: { exact: [encoded], prefixes: [] },
      filter: {},
      now,
    });
    const excess = ids.length + count - capacity;
    if (excess <= 0) continue;
    const stored = await liveMemories(context, ids, now);
    doomed.push(
      ...evictionOrder(
        stored.filter((memory) => !spared.has(memory.id)),
        excess,
        now,
        halfLifeMs,
      ),
    );
  }
  return doomed;
}

/** The live memories behind these ids, read in pages. */
export async function liveMemories(
  context: MemoryContext,
  ids: readonly string[],
  now: number,
): Promise<MemoryRecord[]> {
  const found: MemoryRecord[] = [];
  for (let start = 0; start < ids.length; start += 1000) {
    for (const memory of await context.backend.get(ids.slice(start, start + 1000), now)) {
      if (memory) found.push(memory);
    }
  }
  return found;
}

/** Groups memories by encoded namespace. */
export function byNamespace(memories: readonly MemoryRecord[]): Map<string, MemoryRecord[]> {
  const groups = new Map<string, MemoryRecord[]>();
  for (const memory of memories) {
    const encoded = encodeNamespace(memory.namespace);
    const group = groups.get(encoded);
    if (group) group.push(memory);
    else groups.set(encoded, [memory]);
  }
  return groups;
}
