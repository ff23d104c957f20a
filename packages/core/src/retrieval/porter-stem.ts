// The Porter (1980) stemming algorithm, the variant SQLite's FTS5 `porter` tokenizer applies, so
// that in-process keyword search (plain Redis) matches word forms exactly as the embedded store
// does: "adopting", "adopted" and "adopts" all become "adopt".

const isVowelAt = (word: string, i: number): boolean => {
  const c = word[i];
  if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return true;
  // "y" is a vowel after a consonant ("fly"), a consonant at the start or after a vowel ("yes").
  return c === "y" && i > 0 && !isVowelAt(word, i - 1);
};

/** m in [C](VC)^m[V]: how many vowel-consonant sequences the stem has. */
function measure(stem: string): number {
  let m = 0;
  let i = 0;
  while (i < stem.length && !isVowelAt(stem, i)) i++;
  while (i < stem.length) {
    while (i < stem.length && isVowelAt(stem, i)) i++;
    if (i >= stem.length) break;
    while (i < stem.length && !isVowelAt(stem, i)) i++;
    m++;
  }
  return m;
}

const hasVowel = (stem: string): boolean => {
  for (let i = 0; i < stem.length; i++) if (isVowelAt(stem, i)) return true;
  return false;
};

const endsWithDoubleConsonant = (stem: string): boolean => {
  const n = stem.length;
  return n >= 2 && stem[n - 1] === stem[n - 2] && !isVowelAt(stem, n - 1);
};

/** *o: ends consonant-vowel-consonant, the last not w, x or y ("hop", not "snow"). */
const endsCvc = (stem: string): boolean => {
  const n = stem.length;
  if (n < 3) return false;
  const last = stem[n - 1]!;
  return (
    !isVowelAt(stem, n - 3) &&
    isVowelAt(stem, n - 2) &&
    !isVowelAt(stem, n - 1) &&
    last !== "w" &&
    last !== "x" &&
    last !== "y"
  );
};

type Rule = readonly [suffix: string, replacement: string];

/** Applies the first rule whose suffix the word ends with, if the stem before it passes. */
function replaceSuffix(word: string, rules: readonly Rule[], minMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, word.length - suffix.length);
    return measure(stem) > minMeasure ? stem + replacement : word;
  }
  return word;
}

const STEP2: readonly Rule[] = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["izer", "ize"],
  ["bli", "ble"],
  ["alli", "al"],
  ["entli", "ent"],
  ["eli", "e"],
  ["ousli", "ous"],
  ["ization", "ize"],
  ["ation", "ate"],
  ["ator", "ate"],
  ["alism", "al"],
  ["iveness", "ive"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["aliti", "al"],
  ["iviti", "ive"],
  ["biliti", "ble"],
  ["logi", "log"],
];

const STEP3: readonly Rule[] = [
  ["icate", "ic"],
  ["ative", ""],
  ["alize", "al"],
  ["iciti", "ic"],
  ["ical", "ic"],
  ["ful", ""],
  ["ness", ""],
];

const STEP4 = [
  "al",
  "ance",
  "ence",
  "er",
  "ic",
  "able",
  "ible",
  "ant",
  "ement",
  "ment",
  "ent",
  "ion",
  "ou",
  "ism",
  "ate",
  "iti",
  "ous",
  "ive",
  "ize",
];

function step1(word: string): string {
  let w = word;
  if (w.endsWith("sses") || (w.endsWith("ies") && w.length > 3)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);

  if (w.endsWith("eed")) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else {
    const suffix = w.endsWith("ed") ? "ed" : w.endsWith("ing") ? "ing" : undefined;
    if (suffix && hasVowel(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
      else if (endsWithDoubleConsonant(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
      else if (measure(w) === 1 && endsCvc(w)) w += "e";
    }
  }

  if (w.endsWith("y") && hasVowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;
  return w;
}

function step4(word: string): string {
  // The longest matching suffix decides, so "ement" is tried before "ment" and "ent".
  let match: string | undefined;
  for (const suffix of STEP4)
    if (word.endsWith(suffix) && (!match || suffix.length > match.length)) match = suffix;
  if (!match) return word;
  const stem = word.slice(0, word.length - match.length);
  if (measure(stem) <= 1) return word;
  if (match === "ion" && !/[st]$/.test(stem)) return word;
  return stem;
}

function step5(word: string): string {
  let w = word;
  if (w.endsWith("e")) {
    const stem = w.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !endsCvc(stem))) w = stem;
  }
  if (w.endsWith("ll") && measure(w) > 1) w = w.slice(0, -1);
  return w;
}

/** A string's length in UTF-8 bytes, as TextEncoder would encode it, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3; // the rest of the plane, and a lone surrogate (encoded as U+FFFD)
  }
  return bytes;
}

/**
 * Reduces a lowercase English word to its Porter stem. As in FTS5, words shorter than 3 or
 * longer than 64 bytes are returned unchanged, and any character but a, e, i, o, u and y counts
 * as a consonant.
 */
export function porterStem(word: string): string {
  const bytes = utf8Length(word);
  if (bytes < 3 || bytes > 64) return word;
  let w = step1(word);
  w = replaceSuffix(w, STEP2, 0);
  w = replaceSuffix(w, STEP3, 0);
  w = step4(w);
  return step5(w);
}
