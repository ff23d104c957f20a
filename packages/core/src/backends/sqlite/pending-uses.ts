/** Recall's uses of one memory not yet written: how many, and the last one's instant. */
export interface Use {
  count: number;
  at: number;
}

/** The columns a use changes, as a row read from the file carries them. */
interface UsedRow {
  id: string;
  access_count: number;
  last_accessed_at: number | null;
}

/** Uses held before a write is forced: some hundred recalls' worth. */
const MAX_PENDING = 1024;
/** How long a use may wait to be written when nothing else writes first. */
const FLUSH_AFTER_MS = 100;

/**
 * Recall's uses (`accessCount`, `lastAccessedAt`), held in process and written in batches. A
 * recall's own write transaction was a quarter of a semantic recall at 100k memories; batched,
 * a hundred recalls share one. This process reads its own uses at once (every row it turns into
 * a record or a candidate goes through `apply`); other processes see them when they are written:
 * within `FLUSH_AFTER_MS`, before this process's next write (in the same transaction), or on
 * close. Uses only ever add, so writing them late never undoes another process's writes.
 */
export function pendingUses(write: (uses: ReadonlyMap<string, Use>) => void) {
  let pending = new Map<string, Use>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function take(): ReadonlyMap<string, Use> {
    const taken = pending;
    pending = new Map();
    if (timer) clearTimeout(timer);
    timer = undefined;
    return taken;
  }

  function flush(): void {
    if (pending.size === 0) return;
    const taken = take();
    try {
      write(taken);
    } catch (error) {
      // Kept for the next try (a busy file, say): a use is never lost to a failed write.
      for (const [id, use] of taken) add([id], use.at, use.count);
      throw error;
    }
  }

  function add(ids: readonly string[], at: number, count = 1): void {
    for (const id of ids) {
      const held = pending.get(id);
      if (held) {
        held.count += count;
        held.at = at;
      } else pending.set(id, { count, at });
    }
    if (pending.size >= MAX_PENDING) flush();
    else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        try {
          flush();
        } catch {
          // Retried by the next write, use or close, which report their own failures.
        }
      }, FLUSH_AFTER_MS);
      timer.unref?.();
    }
  }

  return {
    /** Records uses, written later. */
    add,
    /** Writes every held use now (inside the caller's transaction, when there is one). */
    flush,
    /** The uses of one memory not yet written (0 for none). */
    countOf: (id: string) => (pending.size === 0 ? 0 : (pending.get(id)?.count ?? 0)),
    /** A row as it reads once this process's held uses are written (the row itself if none). */
    apply<T extends UsedRow>(row: T): T {
      const use = pending.get(row.id);
      if (!use) return row;
      return {
        ...row,
        access_count: row.access_count + use.count,
        last_accessed_at: use.at,
      };
    },
    /** Forgets every held use without writing it (the file is closed or gone). */
    discard(): void {
      take();
    },
  };
}
