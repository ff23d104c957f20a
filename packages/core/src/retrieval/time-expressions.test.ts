import { describe, expect, it } from "vitest";
import { asksWhen, mentionsTime, queryPeriods } from "./time-expressions.js";

const NOW = Date.UTC(2024, 2, 15, 12); // Friday 15 March 2024, noon
const DAY = 86_400_000;

describe("asksWhen", () => {
  it.each([
    "When did Caroline go to the support group?",
    "What year did she move?",
    "How long ago was his 18th birthday?",
    "How many weeks did the trip last?",
    "And when was that?",
    "When Jon has lost his job as a banker?",
  ])("hears a question about time: %s", (query) => {
    expect(asksWhen(query)).toBe(true);
  });

  it.each([
    "What did Caroline research?",
    "Where does Jon live?",
    "whenever",
    "Who supports Caroline when she has a negative experience?",
  ])("hears none in: %s", (query) => {
    expect(asksWhen(query)).toBe(false);
  });
});

describe("mentionsTime", () => {
  it.each([
    "I went to a support group yesterday",
    "I ran a charity race last Saturday",
    "I talked at a school event last week",
    "A friend made it ten years ago",
    "I've known these friends for 4 years",
    "We're going camping in June",
    "It opened on May 8",
    "Back in 2019 we lived abroad",
    "See you on Monday",
  ])("finds a time in: %s", (text) => {
    expect(mentionsTime(text)).toBe(true);
  });

  it.each(["I may go to the lake", "The museum was so cool", "Lasting friendships matter"])(
    "finds none in: %s",
    (text) => {
      expect(mentionsTime(text)).toBe(false);
    },
  );
});

describe("queryPeriods", () => {
  it("reads a day, a month of a year and a year, most specific first", () => {
    expect(queryPeriods("What did she paint on October 13, 2023?", NOW)).toEqual([
      { start: Date.UTC(2023, 9, 13), end: Date.UTC(2023, 9, 14) },
    ]);
    expect(queryPeriods("Who came to dinner on 3 May, 2023?", NOW)).toEqual([
      { start: Date.UTC(2023, 4, 3), end: Date.UTC(2023, 4, 4) },
    ]);
    expect(queryPeriods("What setback did she face in October 2023?", NOW)).toEqual([
      { start: Date.UTC(2023, 9, 1), end: Date.UTC(2023, 10, 1) },
    ]);
    expect(queryPeriods("How often did he swim in 2023?", NOW)).toEqual([
      { start: Date.UTC(2023, 0, 1), end: Date.UTC(2024, 0, 1) },
    ]);
  });

  it("reads a month without a year as that month of every year up to now", () => {
    const periods = queryPeriods("When did she go camping in June?", NOW);
    expect(periods.at(-1)).toEqual({ start: Date.UTC(2023, 5, 1), end: Date.UTC(2023, 6, 1) });
    expect(periods.every((p) => p.start < NOW)).toBe(true);
  });

  it("reads relative periods against now", () => {
    const today = Date.UTC(2024, 2, 15);
    expect(queryPeriods("what did I eat yesterday", NOW)).toEqual([
      { start: today - DAY, end: today },
    ]);
    expect(queryPeriods("the film we saw last week", NOW)).toEqual([
      { start: today - 7 * DAY, end: today },
    ]);
    const [ago] = queryPeriods("the call two weeks ago", NOW);
    expect(ago!.start).toBeLessThan(today - 14 * DAY);
    expect(ago!.end).toBeGreaterThan(today - 14 * DAY);
  });

  it("finds none in a query without a time, nor in the verb may", () => {
    expect(queryPeriods("What may help me sleep?", NOW)).toEqual([]);
    expect(queryPeriods("Where does Jon live?", NOW)).toEqual([]);
  });
});
