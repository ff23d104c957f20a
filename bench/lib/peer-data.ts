import { keywordTerms } from "@engram/core";
import { sentences } from "./corpus.ts";
import { clusteredVectors, syntheticEmbedder } from "./vectors.ts";

/**
 * The data `bench:peers` and `bench:hybrid` share: `memories` sentences and `queries` questions,
 * each with a 384-d vector from 64 clusters, an embedder that knows them all, and the kind
 * that keeps one memory in ten (the kind filter's).
 */
export function peerData(memories: number, queries: number, dimensions = 384) {
  const { near } = clusteredVectors(dimensions, 64);
  const texts = sentences(memories, 1);
  const memoryVectors = texts.map(() => near());
  const questions = sentences(queries, 2);
  const queryVectors = questions.map(() => near());
  const { embedder, vectors } = syntheticEmbedder(near, dimensions);
  for (const [i, text] of texts.entries()) vectors.set(text, memoryVectors[i]!);
  // Recall embeds a query as written and as its content words: both map to the query's vector.
  questions.forEach((query, i) => {
    vectors.set(query, queryVectors[i]!);
    vectors.set(keywordTerms(query).join(" "), queryVectors[i]!);
  });
  const kindOf = (i: number) => (i % 10 === 0 ? "fact" : "note");
  return { texts, memoryVectors, queries: questions, queryVectors, embedder, vectors, kindOf };
}
