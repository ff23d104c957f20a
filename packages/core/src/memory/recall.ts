import type { SearchCandidate } from "../backends/backend.js";
import { toCandidate } from "../backends/search-candidate.js";
import { tenantOf } from "../namespace/namespace.js";
import { parseInput, recallOptionsSchema } from "../record/schemas.js";
import { saturateKeywordScore, semanticScore, weightedScoreFusion } from "../retrieval/fusion.js";
import { neighbourLift } from "../retrieval/neighbour-context.js";
import { semanticQueryTexts } from "../retrieval/query.js";
import { applyRanking, rankingSignals } from "../retrieval/ranking.js";
import { timeMatch } from "../retrieval/time-match.js";
import { keywordTerms } from "../retrieval/tokenize.js";
import { meanUnitVector } from "../retrieval/vector-math.js";
import { callerVector } from "./caller-vector.js";
import type { MemoryContext } from "./context.js";
import {
  attachContentsForTime,
  completeVectorPool,
  keywordPool,
  vectorPool,
  withRecords,
} from "./recall-candidates.js";
import { toSelection } from "./selection.js";
import type { RecalledMemory, RecallOptions, ScoreExplanation } from "./types.js";

/**
 * How many candidates each ranking contributes to a hybrid fusion. A weighted sum needs both
 * scores of a memory: the keyword leg's candidates that the vector leg missed get their exact
 * similarity (`completeVectorPool`), so shallow pools lose little. The pools are also where
 * neighbours are found. On LoCoMo (limit 20), hybrid hit@10 on all / conversations 1-3 / 4-5:
 * without that completion, 300 per ranking gave 0.824 / 0.849 / 0.798 and 100 gave 0.786 /
 * 0.816 / 0.756; with it, 60 gives 0.819 / 0.839 / 0.798, 100 gives 0.819 / 0.844 / 0.793 and
 * 160 gives 0.825 / 0.847 / 0.804. Each candidate costs both legs (graph beam, BM25 depth,
 * ranking): a pool of 100 instead of 300 is most of a hybrid recall's time at 100k memories.
 * The candidates carry only what ranking reads (see `SearchCandidate`); whole records are read
 * for the page returned.
 */
const HYBRID_POOL_FACTOR = 8;
const HYBRID_POOL_MIN = 100;

interface Scored {
  candidate: SearchCandidate;
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
  // The query's cache entry belongs to the tenants searched, as the backend isolates them (one
  // only for a tenant-rooted caller), so one tenant's queries never warm another's.
  const tenantOfScope = context.backend.tenantOf ?? tenantOf;
  const queryTenant = [...selection.scope.exact, ...selection.scope.prefixes]
    .map((namespace) => tenantOfScope(namespace))
    .sort()
    .join("\u0000");
  await context.ready();
  // A vector without a query can only be searched by meaning.
  const mode = options.query === undefined ? "semantic" : options.mode;
  const wanted = options.offset + options.limit;
  const pool = mode === "hybrid" ? Math.max(wanted * HYBRID_POOL_FACTOR, HYBRID_POOL_MIN) : wanted;

  const { query, vector } = options;
  const { tracing } = context;
  const { backend } = context;
  // The vector the semantic leg searched by, if any (hybrid completes its pool with it).
  let searched: Float32Array | undefined;
  const semantic = (): Promise<SearchCandidate[]> =>
    tracing.span("engram.recall.semantic", { "engram.recall.pool": pool }, async (span) => {
      const vector = await queryVector();
      searched = vector;
      const hits =
        vector === undefined
          ? []
          : mode === "hybrid"
            ? await vectorPool(backend, selection, vector, pool)
            : (await backend.searchVector(selection, vector, pool)).map(toCandidate);
      span.setAttribute("engram.recall.candidates", hits.length);
      return hits;
    });
  // The vector to search by, or none while the store holds no vector.
  const queryVector = async (): Promise<Float32Array | undefined> => {
    if (vector !== undefined) {
      if (!(await context.hasVectors())) return undefined;
      await context.embeddings(); // checks the store's space
      return callerVector(vector, await context.dimensions(), "The recall vector");
    }
    const pipeline = await context.embeddings();
    if (!(await context.hasVectors())) return undefined;
    const texts = semanticQueryTexts(query!);
    const vectors = await tracing.span(
      "engram.recall.embedding",
      { "engram.embedding.texts": texts.length },
      () => Promise.all(texts.map((text) => pipeline.embedQuery(text, queryTenant))),
    );
    return meanUnitVector(vectors);
  };
  const keyword = (): Promise<SearchCandidate[]> =>
    tracing.span("engram.recall.keyword", { "engram.recall.pool": pool }, async (span) => {
      const terms = query === undefined ? [] : keywordTerms(query);
      span.setAttribute("engram.recall.terms", terms.length);
      const hits =
        query === undefined
          ? []
          : mode === "hybrid"
            ? await keywordPool(backend, selection, terms, pool)
            : (await backend.searchKeyword(selection, terms, pool)).map(toCandidate);
      span.setAttribute("engram.recall.candidates", hits.length);
      return hits;
    });

  let scored: Scored[];
  if (mode === "semantic") {
    scored = (await semantic()).map((candidate) => {
      const value = semanticScore(candidate.score);
      return { candidate, score: value, explain: { semantic: value } };
    });
  } else if (mode === "keyword") {
    scored = (await keyword()).map((candidate) => {
      const value = saturateKeywordScore(candidate.score);
      return { candidate, score: value, explain: { keyword: value } };
    });
  } else {
    const [bySemantic, byKeyword] = await Promise.all([semantic(), keyword()]);
    if (searched)
      bySemantic.push(
        ...(await completeVectorPool(backend, selection, searched, bySemantic, byKeyword)),
      );
    scored = await tracing.span(
      "engram.recall.fusion",
      {
        "engram.candidates.semantic": bySemantic.length,
        "engram.candidates.keyword": byKeyword.length,
      },
      async (span) => {
        const fused = weightedScoreFusion(bySemantic, byKeyword);
        span.setAttribute("engram.candidates.fused", fused.size);
        // One candidate per memory; its record, if either ranking brought one.
        const candidates = new Map<string, SearchCandidate>();
        for (const hit of [...bySemantic, ...byKeyword]) {
          const held = candidates.get(hit.id);
          if (!held || (held.memory === undefined && hit.memory !== undefined))
            candidates.set(hit.id, hit);
        }
        return [...fused].map(([id, { score, semantic, keyword }]) => ({
          candidate: candidates.get(id)!,
          score,
          explain: { semantic, keyword },
        }));
      },
    );
    if (options.neighbours && options.ranking) liftByNeighbours(scored, context.ranking);
  }
  if (options.time && options.ranking && query !== undefined) {
    await attachContentsForTime(
      backend,
      query,
      scored.map((hit) => hit.candidate),
      selection.now,
    );
    weighByTime(scored, query, context.now(), context.ranking);
  }

  // Relevance decides; recency, importance, pinning and use move it by at most `weight`.
  const now = context.now();
  const { weight, recencyHalfLifeMs } = context.ranking;
  for (const hit of options.ranking ? scored : []) {
    const signals = rankingSignals(hit.candidate, now, options.recency ? recencyHalfLifeMs : false);
    hit.explain = { ...hit.explain, relevance: hit.score, ...signals };
    hit.score = applyRanking(hit.score, signals, weight);
  }
  const page = scored
    .filter((hit) => hit.score >= options.minScore)
    .sort((a, b) => b.score - a.score || (a.candidate.id < b.candidate.id ? 1 : -1))
    .slice(options.offset, wanted);
  // Whole records for the page only.
  const best = await withRecords(backend, page, selection.now);
  if (!options.recordAccess) {
    return best.map(({ memory, score, explain }) =>
      options.explain ? { ...memory, score, explain } : { ...memory, score },
    );
  }
  // One small batched write: recalled memories are used memories (lastAccessedAt, accessCount).
  await backend.touch(
    best.map((hit) => hit.memory.id),
    now,
  );
  return best.map(({ memory, score, explain }) => {
    const used = { ...memory, lastAccessedAt: new Date(now), accessCount: memory.accessCount + 1 };
    return options.explain ? { ...used, score, explain } : { ...used, score };
  });
}

/** Lowers the candidates that fit the time a query asks about less (see `timeMatch`). */
function weighByTime(
  scored: Scored[],
  query: string,
  now: number,
  { timeWeight, timeSlackMs }: MemoryContext["ranking"],
): void {
  if (timeWeight <= 0) return;
  const fits = timeMatch(
    query,
    scored.map(({ candidate }) => ({
      content: candidate.memory?.content,
      contentHash: candidate.contentHash,
      createdAt: candidate.createdAt,
    })),
    now,
    timeSlackMs,
  );
  if (fits === undefined) return;
  scored.forEach((hit, index) => {
    const fit = fits[index]!;
    hit.score *= 1 - timeWeight * (1 - fit);
    hit.explain = { ...hit.explain, time: fit };
  });
}

/** Raises each hybrid candidate towards its more relevant neighbour (see `neighbourLift`). */
function liftByNeighbours(
  scored: Scored[],
  { neighbourWeight, neighbourWindowMs }: MemoryContext["ranking"],
): void {
  const lift = neighbourLift(
    scored.map(({ candidate, score }) => ({
      id: candidate.id,
      namespace: candidate.namespace,
      createdAt: candidate.createdAt,
      score,
    })),
    neighbourWeight,
    neighbourWindowMs,
  );
  for (const hit of scored) {
    const added = lift.get(hit.candidate.id);
    if (added === undefined) continue;
    hit.score += added;
    hit.explain = { ...hit.explain, neighbour: added };
  }
}
