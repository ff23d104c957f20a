import { keywordTerms } from "./tokenize.js";

/**
 * The texts whose embeddings, averaged, stand for a query in semantic search: the query as
 * written and its content words alone. Sentence encoders place a question near other
 * questions; stored memories are mostly statements, and the content-word form pulls the
 * query vector towards its topic. A query that is already just content words is embedded once.
 */
export function semanticQueryTexts(query: string): string[] {
  const written = query.trim();
  const contentWords = keywordTerms(written).join(" ");
  return contentWords.length === 0 || contentWords === written.toLowerCase()
    ? [written]
    : [written, contentWords];
}
