// Common English function words: they match almost every memory and carry no topic.
const STOP_WORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below " +
    "between both but by can could did do does doing down during each few for from further had has have " +
    "having he her here hers herself him himself his how i if in into is it its itself just me more most " +
    "my myself no nor not now of off on once only or other our ours ourselves out over own same she should " +
    "so some such than that the their theirs them themselves then there these they this those through to " +
    "too under until up very was we were what when where which while who whom why will with would you " +
    "your yours yourself yourselves s t d ll m re ve"
  ).split(" "),
);

/**
 * Splits text into lowercase keyword terms for BM25: letters and digits only, accents folded,
 * stop words dropped, each term once.
 */
export function keywordTerms(text: string): string[] {
  const terms = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0 && !STOP_WORDS.has(term));
  return [...new Set(terms)];
}
