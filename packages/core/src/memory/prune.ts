import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import type { Scope } from "../namespace/scope.js";
import { parseInput, scopeFields } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";
import { deletionWrites } from "./forget.js";
import { byNamespace, evictionOrder, liveMemories } from "./retention.js";
import { toSelection } from "./selection.js";

export interface PruneOptions extends Scope {
  /** The limit to apply this time; defaults to the memory's `retention.capacity`. */
  capacity?: number;
}

/** What `prune` removed. */
export interface PruneReport {
  /** Memories evicted, across every namespace in scope. */
  evicted: number;
  /** Namespaces that lost memories. */
  namespaces: number;
}

const pruneOptionsSchema = z.strictObject({
  ...scopeFields,
  capacity: z.number().int().min(1).optional(),
});

/**
 * Applies the retention policy now: every namespace in scope over capacity loses its lowest
 * retention scores, pinned memories excepted. Each namespace is pruned atomically.
 */
export async function prune(context: MemoryContext, raw: PruneOptions): Promise<PruneReport> {
  const options = parseInput(pruneOptionsSchema, raw, "prune options");
  const capacity = options.capacity ?? context.retention.capacity;
  if (capacity === undefined) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      "prune needs a capacity: pass one, or create the memory with retention.capacity.",
      { details: { issues: [{ path: ["capacity"], message: "Required" }] } },
    );
  }
  return context.serialize(async () => {
    const now = context.now();
    const selection = toSelection(options, now);
    await context.ready();
    const memories = await liveMemories(context, await context.backend.selectIds(selection), now);
    const report: PruneReport = { evicted: 0, namespaces: 0 };
    for (const group of byNamespace(memories).values()) {
      const doomed = evictionOrder(
        group,
        group.length - capacity,
        now,
        context.retention.halfLifeMs,
      );
      if (doomed.length === 0) continue;
      await context.backend.write(deletionWrites(doomed, new Date(now)));
      report.evicted += doomed.length;
      report.namespaces += 1;
    }
    return report;
  });
}
