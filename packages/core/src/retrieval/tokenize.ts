import { porterStem } from "./porter-stem.js";

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
 * Splits text into lowercase words the way SQLite's `unicode61 remove_diacritics 2` tokenizer
 * does: runs of letters and digits, accents folded.
 */
export function words(text: string): string[] {
  // ASCII folds to itself, and its only letters and digits are a-z and 0-9 once lowercased.
  if (ASCII.test(text))
    return text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(nonEmpty);
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(nonEmpty);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, on purpose.
const ASCII = /^[\u0000-\u007f]*$/;
const nonEmpty = (word: string) => word.length > 0;

/**
 * Splits text into lowercase keyword terms for BM25: letters and digits only, accents folded,
 * stop words dropped, each term once. Terms stay unstemmed (a backend's own index stems them).
 */
export function keywordTerms(text: string): string[] {
  return [...new Set(words(text).filter((word) => !STOP_WORDS.has(word)))];
}

/**
 * The terms a document is indexed under for in-process BM25: every word Porter-stemmed, as
 * SQLite's `porter unicode61` index does, so "adopting" matches a query for "adoption".
 */
export function indexTerms(text: string): string[] {
  return words(text).map(stemOf);
}

// Plain Redis indexes each memory again on every keyword search; a vocabulary is small, so
// stems are remembered (up to a bound, then forgotten all at once).
const STEM_MEMO_SIZE = 50_000;
const stems = new Map<string, string>();

function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size >= STEM_MEMO_SIZE) stems.clear();
    stem = porterStem(word);
    stems.set(word, stem);
  }
  return stem;
}
