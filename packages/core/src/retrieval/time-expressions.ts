// Time in plain English text, without a model: whether a query asks "when", which period a query
// names, and whether a memory's content says when something happened. English only; text in
// another language simply shows no time, and recall ranks it as before.

const DAY_MS = 86_400_000;

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH_NAMES =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const UNITS = "day|week|weekend|month|year";
const NUMBER_WORDS =
  "a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|few|several";

/** Questions about time: "when", "what year", "how long ago", "since when", "how many days". */
const ASKS_WHEN = new RegExp(
  [
    // "when" as the question word, not the conjunction ("What did she feel when she ...").
    "^\\W*when\\b",
    "\\bwhen (?:did|do|does|is|was|were|will|would|has|have|had|are|am|can|could|should)\\b",
    "\\bsince when\\b",
    "\\b(?:what|which) (?:year|month|day|date|time|week|weekend|season)\\b",
    "\\bhow long\\b",
    "\\bhow many (?:days|weeks|months|years)\\b",
    "\\bhow (?:old|recently)\\b",
  ].join("|"),
  "i",
);

/**
 * Words that place an event in time: relative ones ("yesterday", "last week", "two days ago",
 * "this month", "next summer"), spans ("for 4 years", "a few months"), weekdays, month names (the verb "may" only before a day or a year),
 * years and numeric dates.
 */
const MENTIONS_TIME = new RegExp(
  [
    "\\b(?:yesterday|today|tonight|tomorrow|ago|recently|lately)\\b",
    `\\b(?:\\d+|${NUMBER_WORDS}) (?:${UNITS}|decade)s?\\b`,
    `\\b(?:last|next|this|past|coming|previous) (?:${UNITS}|night|morning|evening|summer|winter|spring|fall|autumn|${WEEKDAYS})s?\\b`,
    `\\b(?:${WEEKDAYS})s?\\b`,
    "\\b(?:january|february|march|april|june|july|august|september|october|november|december)\\b",
    "\\bmay (?:\\d|19\\d\\d|20\\d\\d)",
    "\\b(?:19|20)\\d\\d\\b",
    "\\b\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?\\b",
  ].join("|"),
  "i",
);

/** True when a query asks when something happened or how long ago. */
export function asksWhen(query: string): boolean {
  return ASKS_WHEN.test(query);
}

/** True when the text places something in time ("yesterday", "last week", "in May 2023"). */
export function mentionsTime(text: string): boolean {
  return MENTIONS_TIME.test(text);
}

/** A span of time, epoch milliseconds, `end` exclusive. */
export interface TimePeriod {
  start: number;
  end: number;
}

/**
 * The periods a query names, absolute ("on 8 May 2023", "in May 2023", "in 2023", "in June", which
 * means June of any year) or relative to `now` ("yesterday", "last week", "two months ago").
 * A month without a year gives that month of each of the last 50 years that has begun by `now`.
 */
export function queryPeriods(query: string, now: number): TimePeriod[] {
  const text = query.toLowerCase();
  const periods: TimePeriod[] = [];
  const taken: [number, number][] = [];
  const take = (match: RegExpExecArray) => taken.push([match.index, match.index + match[0].length]);
  const free = (match: RegExpExecArray) =>
    !taken.some(([from, to]) => match.index < to && match.index + match[0].length > from);
  const each = (pattern: string, found: (match: RegExpExecArray) => TimePeriod[] | undefined) => {
    for (const match of text.matchAll(new RegExp(pattern, "g"))) {
      if (!free(match)) continue;
      const period = found(match);
      if (period === undefined) continue;
      periods.push(...period);
      take(match);
    }
  };
  const month = (name: string) => MONTHS.findIndex((full) => full.startsWith(name.slice(0, 3)));
  const day = (year: number, m: number, d: number) => {
    const start = Date.UTC(year, m, d);
    return [{ start, end: start + DAY_MS }];
  };
  const wholeMonth = (year: number, m: number) => [
    { start: Date.UTC(year, m, 1), end: Date.UTC(year, m + 1, 1) },
  ];

  // Most specific first, so "8 May 2023" is a day and not also May 2023 and 2023.
  each(`\\b(${MONTH_NAMES})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? ((?:19|20)\\d\\d)\\b`, (m) =>
    day(Number(m[3]), month(m[1]!), Number(m[2])),
  );
  each(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH_NAMES})\\.?,? ((?:19|20)\\d\\d)\\b`, (m) =>
    day(Number(m[3]), month(m[2]!), Number(m[1])),
  );
  each(`\\b(${MONTH_NAMES})\\.?,? (?:of )?((?:19|20)\\d\\d)\\b`, (m) =>
    wholeMonth(Number(m[2]), month(m[1]!)),
  );
  each("\\b(?:in|during|of|since|year) ((?:19|20)\\d\\d)\\b", (m) => [
    { start: Date.UTC(Number(m[1]), 0, 1), end: Date.UTC(Number(m[1]) + 1, 0, 1) },
  ]);
  // "in May" alone: the verb "may" never follows in/during/of/since/until/before/after.
  each(
    "\\b(?:in|during|of|since|until|before|after|early|late|mid) (january|february|march|april|may|june|july|august|september|october|november|december)\\b",
    (m) => {
      const last = new Date(now).getUTCFullYear();
      const out: TimePeriod[] = [];
      for (let year = last - 50; year <= last; year++) {
        out.push(...wholeMonth(year, month(m[1]!)).filter((period) => period.start <= now));
      }
      return out;
    },
  );

  const today = Math.floor(now / DAY_MS) * DAY_MS;
  each("\\byesterday\\b", () => [{ start: today - DAY_MS, end: today }]);
  each("\\btoday\\b", () => [{ start: today, end: today + DAY_MS }]);
  each(`\\blast (week|weekend|month|year)\\b`, (m) => {
    const span = { week: 7, weekend: 7, month: 31, year: 366 }[m[1] as "week"] * DAY_MS;
    return [{ start: today - span, end: today }];
  });
  each(`\\b(\\d+|${NUMBER_WORDS}) (day|week|month|year)s? ago\\b`, (m) => {
    const count = /^\d+$/.test(m[1]!) ? Number(m[1]) : wordCount(m[1]!);
    const unit = { day: 1, week: 7, month: 30.5, year: 365.25 }[m[2] as "day"] * DAY_MS;
    const at = today - count * unit;
    // "two weeks ago" is roughly two weeks ago: half a unit either side.
    return [{ start: at - unit / 2, end: at + unit / 2 + DAY_MS }];
  });
  return periods;
}

function wordCount(word: string): number {
  const counts: Record<string, number> = {
    one: 1,
    a: 1,
    an: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    "a couple of": 2,
  };
  return counts[word] ?? 3;
}
