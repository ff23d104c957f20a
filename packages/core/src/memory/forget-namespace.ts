import { encodeNamespace, type Namespace, validateNamespace } from "../namespace/namespace.js";
import type { AttachedStore, ErasureReport } from "./attached-store.js";
import type { MemoryContext } from "./context.js";

/**
 * Erases a whole subtree (the namespace and everything beneath it): its memories, their
 * history, its threads with their messages, summaries and ingest state, its working memory,
 * and whatever attached stores keep there.
 */
export async function forgetNamespace(
  context: MemoryContext,
  attached: ReadonlyMap<string, AttachedStore>,
  prefix: Namespace,
): Promise<ErasureReport> {
  const valid = validateNamespace(prefix);
  await context.ready();
  const encoded = encodeNamespace(valid);
  const memories = await context.serialize(() => context.backend.deleteSubtree(encoded));
  const conversations = await context.backend.conversations.deleteSubtree(encoded);
  const report: ErasureReport = { memories, ...conversations, attached: {} };
  // Every attached store is asked even if one fails, so one broken adapter cannot keep the
  // others' data alive; the first failure is rethrown after.
  const results = await Promise.allSettled(
    [...attached.values()].map(async (store) => {
      report.attached[store.name] = await store.forgetNamespace(valid);
    }),
  );
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return report;
}
