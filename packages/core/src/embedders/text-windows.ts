/**
 * The longest piece the offline encoder tokenizes at once, in characters: its tokenizer's cost
 * grows with the square of its input, so text is cut into pieces first.
 */
export const PIECE_CHARACTERS = 500;

/**
 * The most tokens the offline encoder's model reads at once (about 12,000 characters of
 * English); longer text is several windows, embedded in one batch and mean-pooled.
 */
export const WINDOW_TOKENS = 3072;

// A sentence end followed by whitespace, or a line break: the preferred places to cut.
const SENTENCE_END = /[.!?;:\u3002\uff01\uff1f][)"'\u201d\u2019\]]*\s+|\n+/g;
const WHITESPACE = /\s+/g;

function lastBreak(window: string, pattern: RegExp, from: number): number | undefined {
  let cut: number | undefined;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(window); match; match = pattern.exec(window)) {
    const end = match.index + match[0].length;
    if (end >= from && end < window.length) cut = end;
  }
  return cut;
}

/**
 * Splits text into windows of at most `size` characters, cutting after a sentence when one
 * ends in the window's second half, else at whitespace, else (one long word) anywhere but
 * inside a surrogate pair. Short text is one window; the windows joined give the text back.
 */
export function splitIntoWindows(text: string, size: number = PIECE_CHARACTERS): string[] {
  if (!Number.isInteger(size) || size < 2) throw new RangeError("size must be an integer >= 2");
  const windows: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const window = rest.slice(0, size + 1);
    const half = Math.floor(size / 2);
    let cut = lastBreak(window, SENTENCE_END, half) ?? lastBreak(window, WHITESPACE, half) ?? size;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    windows.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || windows.length === 0) windows.push(rest);
  return windows;
}
