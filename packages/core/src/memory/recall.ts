import type { ScoredMemory } from "../backends/backend.js";
import { encodeNamespace } from "../namespace/namespace.js";
import type { MemoryRecord } from "../record/memory-record.js";
import { parseInput, recallOptionsSchema } from "../record/schemas.js";
import { saturateKeywordScore, semanticScore, weightedScoreFusion } from "../retrieval/fusion.js";
import { neighbourLift } from "../retrieval/neighbour-context.js";
import { semanticQueryTexts } from "../retrieval/query.js";
import { applyRanking, rankingSignals } from "../retrieval/ranking.js";
import { keywordTerms } from "../retrieval/tokenize.js";
import { meanUnitVector } from "../retrieval/vector-math.js";
import type { MemoryContext } from "./context.js";
import { toSelection } from "./selection.js";
import type { RecalledMemory, RecallOptions, ScoreExplanation } from "./types.js";

/**
 * How many candidates each ranking contributes to a hybrid fusion. A weighted sum needs both
 * scores of a memory, so the pools are deep: a memory missing from one counts 0 there, though
 * its real score there may be fair. On LoCoMo conversations 1-3, hybrid hit@10 rose from 0.761
 * (200 per ranking) to 0.764 (400; no better beyond), and on 4-5 from 0.743 to 0.753.
 */
const HYBRID_POOL_FACTOR = 20;
const HYBRID_POOL_MIN = 400;

interface Scored {
  memory: MemoryRecord;
  score: number;
  explain: ScoreExplanation;
}

/** Finds the memories most relevant to a query, best first, each with a score in [0, 1]. */
export async function recall(
  context: MemoryContext,
  raw: RecallOptions,
): Promise<RecalledMemory[]> {
  const options = parseInput(recallOptionsSchema, raw, "recall options");
  const selection = toSelection(options, context.now());
  await context.ready();
  const pool =
    options.mode === "hybrid"
      ? Math.max(options.limit * HYBRID_POOL_FACTOR, HYBRID_POOL_MIN)
      : options.limit;

  const { tracing } = context;
  const semantic = (): Promise<ScoredMemory[]> =>
    tracing.span("engram.recall.semantic", { "engram.recall.pool": pool }, async (span) => {
      const pipeline = await context.embeddings();
      if (!(await context.hasVectors())) {
        span.setAttribute("engram.recall.candidates", 0);
        return [];
      }
      const texts = semanticQueryTexts(options.query);
      const vectors = await tracing.span(
        "engram.recall.embedding",
        { "engram.embedding.texts": texts.length },
        () => Promise.all(texts.map((text) => pipeline.embedQuery(text))),
      );
      const hits = await context.backend.searchVector(selection, meanUnitVector(vectors), pool);
      span.setAttribute("engram.recall.candidates", hits.length);
      return hits;
    });
  const keyword = (): Promise<ScoredMemory[]> =>
    tracing.span("engram.recall.keyword", { "engram.recall.pool": pool }, async (span) => {
      const terms = keywordTerms(options.query);
      span.setAttribute("engram.recall.terms", terms.length);
      const hits = await context.backend.searchKeyword(selection, terms, pool);
      span.setAttribute("engram.recall.candidates", hits.length);
      return hits;
    });

  let scored: Scored[];
  if (options.mode === "semantic") {
    scored = (await semantic()).map(({ memory, score }) => {
      const value = semanticScore(score);
      return { memory, score: value, explain: { semantic: value } };
    });
  } else if (options.mode === "keyword") {
    scored = (await keyword()).map(({ memory, score }) => {
      const value = saturateKeywordScore(score);
      return { memory, score: value, explain: { keyword: value } };
    });
  } else {
    const [bySemantic, byKeyword] = await Promise.all([semantic(), keyword()]);
    scored = await tracing.span(
      "engram.recall.fusion",
      {
        "engram.candidates.semantic": bySemantic.length,
        "engram.candidates.keyword": byKeyword.length,
      },
      async (span) => {
        const fused = weightedScoreFusion(
          bySemantic.map((hit) => ({ id: hit.memory.id, score: hit.score })),
          byKeyword.map((hit) => ({ id: hit.memory.id, score: hit.score })),
        );
        span.setAttribute("engram.candidates.fused", fused.size);
        const records = new Map(
          [...bySemantic, ...byKeyword].map((hit) => [hit.memory.id, hit.memory]),
        );
        return [...fused].map(([id, { score, semantic, keyword }]) => ({
          memory: records.get(id)!,
          score,
          explain: { semantic, keyword },
        }));
      },
    );
    if (options.neighbours) liftByNeighbours(scored, context.ranking);
  }

  // Relevance decides; recency, importance, pinning and use move it by at most `weight`.
  const now = context.now();
  const { weight, recencyHalfLifeMs } = context.ranking;
  for (const hit of scored) {
    const signals = rankingSignals(hit.memory, now, options.recency ? recencyHalfLifeMs : false);
    hit.explain = { ...hit.explain, relevance: hit.score, ...signals };
    hit.score = applyRanking(hit.score, signals, weight);
  }
  const best = scored
    .filter((hit) => hit.score >= options.minScore)
    .sort((a, b) => b.score - a.score || (a.memory.id < b.memory.id ? 1 : -1))
    .slice(0, options.limit);
  // One small batched write: recalled memories are used memories (lastAccessedAt, accessCount).
  await context.backend.touch(
    best.map((hit) => hit.memory.id),
    now,
  );
  return best.map(({ memory, score, explain }) => {
    const used = { ...memory, lastAccessedAt: new Date(now), accessCount: memory.accessCount + 1 };
    return options.explain ? { ...used, score, explain } : { ...used, score };
  });
}

/** Raises each hybrid candidate towards its more relevant neighbour (see `neighbourLift`). */
function liftByNeighbours(
  scored: Scored[],
  { neighbourWeight, neighbourWindowMs }: MemoryContext["ranking"],
): void {
  const lift = neighbourLift(
    scored.map(({ memory, score }) => ({
      id: memory.id,
      namespace: encodeNamespace(memory.namespace),
      createdAt: memory.createdAt.getTime(),
      score,
    })),
    neighbourWeight,
    neighbourWindowMs,
  );
  for (const hit of scored) {
    const added = lift.get(hit.memory.id);
    if (added === undefined) continue;
    hit.score += added;
    hit.explain = { ...hit.explain, neighbour: added };
  }
}
