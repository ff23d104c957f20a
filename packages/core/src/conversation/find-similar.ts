import { tenantIn } from "../backends/backend-tenant.js";
import type { MemoryContext } from "../memory/context.js";
import type { RecalledMemory } from "../memory/types.js";
import { encodeNamespace, type Namespace } from "../namespace/namespace.js";
import { contentHash } from "../record/content-hash.js";
import { semanticScore } from "../retrieval/fusion.js";

/**
 * The memories of one namespace most similar to a text, best first, `score` the cosine
 * similarity (floored at 0). Unlike `recall` it does not count as use of the memories it finds:
 * ingest comparing a candidate with them is not a reader needing them.
 */
export async function findSimilar(
  context: MemoryContext,
  namespace: Namespace,
  text: string,
  limit: number,
): Promise<RecalledMemory[]> {
  if (limit === 0) return [];
  const pipeline = await context.embeddings();
  if (!(await context.hasVectors())) return [];
  // A document vector, as stored memories have: the same space remember's dedup compares in.
  const [vector] = await pipeline.embedDocuments(
    [text],
    [contentHash(text)],
    [tenantIn(context.backend, namespace)],
  );
  const hits = await context.backend.searchVector(
    {
      scope: { exact: [encodeNamespace(namespace)], prefixes: [] },
      filter: {},
      now: context.now(),
    },
    vector!,
    limit,
  );
  return hits.map(({ memory, score }) => ({ ...memory, score: semanticScore(score) }));
}
