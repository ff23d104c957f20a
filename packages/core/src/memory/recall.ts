import type { ScoredMemory } from "../backends/backend.js";
import { parseInput, recallOptionsSchema } from "../record/schemas.js";
import { reciprocalRankFusion, saturateKeywordScore, semanticScore } from "../retrieval/fusion.js";
import { keywordTerms } from "../retrieval/tokenize.js";
import type { MemoryContext } from "./context.js";
import { toSelection } from "./selection.js";
import type { RecalledMemory, RecallOptions } from "./types.js";

/** How many candidates each ranking contributes to a hybrid fusion, per requested result. */
const HYBRID_POOL_FACTOR = 4;
const HYBRID_POOL_MIN = 40;

/** Finds the memories most relevant to a query, best first, each with a score in [0, 1]. */
export async function recall(context: MemoryContext, raw: RecallOptions): Promise<RecalledMemory[]> {
  const options = parseInput(recallOptionsSchema, raw, "recall options");
  const selection = toSelection(options, context.now());
  await context.ready();
  const pool = options.mode === "hybrid" ? Math.max(options.limit * HYBRID_POOL_FACTOR, HYBRID_POOL_MIN) : options.limit;

  const semantic = async (): Promise<ScoredMemory[]> => {
    const pipeline = await context.embeddings();
    if (!(await context.hasVectors())) return [];
    const vector = await pipeline.embedQuery(options.query);
    return context.backend.searchVector(selection, vector, pool);
  };
  const keyword = (): Promise<ScoredMemory[]> =>
    context.backend.searchKeyword(selection, keywordTerms(options.query), pool);

  let scored: { memory: ScoredMemory["memory"]; score: number }[];
  if (options.mode === "semantic") {
    scored = (await semantic()).map(({ memory, score }) => ({ memory, score: semanticScore(score) }));
  } else if (options.mode === "keyword") {
    scored = (await keyword()).map(({ memory, score }) => ({ memory, score: saturateKeywordScore(score) }));
  } else {
    const [bySemantic, byKeyword] = await Promise.all([semantic(), keyword()]);
    const fused = reciprocalRankFusion([
      bySemantic.map((hit) => hit.memory.id),
      byKeyword.map((hit) => hit.memory.id),
    ]);
    const records = new Map([...bySemantic, ...byKeyword].map((hit) => [hit.memory.id, hit.memory]));
    scored = [...fused].map(([id, score]) => ({ memory: records.get(id)!, score }));
  }

  return scored
    .filter((hit) => hit.score >= options.minScore)
    .sort((a, b) => b.score - a.score || (a.memory.id < b.memory.id ? 1 : -1))
    .slice(0, options.limit)
    .map(({ memory, score }) => ({ ...memory, score }));
}
