import { describe, expect, it } from "vitest";
import { timeMatch } from "./time-match.js";

const NOW = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const at = (content: string, createdAt = Date.UTC(2023, 4, 8)) => ({
  content,
  contentHash: content,
  createdAt,
});

describe("timeMatch", () => {
  it("fits memories that place something in time to a when-question", () => {
    expect(
      timeMatch(
        "When did Caroline go to the support group?",
        [at("I went to a support group yesterday"), at("The support group was powerful")],
        NOW,
        7 * DAY,
      ),
    ).toEqual([1, 0]);
  });

  it("fits memories created in the period a query names, or up to the slack after it", () => {
    const fits = timeMatch(
      "What did Melanie paint in May 2023?",
      [
        at("a sunset", Date.UTC(2023, 4, 20)),
        at("a lake", Date.UTC(2023, 5, 3)),
        at("a horse", Date.UTC(2023, 6, 1)),
      ],
      NOW,
      7 * DAY,
    );
    expect(fits).toEqual([1, 1, 0]);
  });

  it("averages the two signals when a when-question also names a period", () => {
    expect(
      timeMatch(
        "When in 2023 did she paint?",
        [at("I painted last week", Date.UTC(2022, 0, 1)), at("I painted last week")],
        NOW,
        0,
      ),
    ).toEqual([0.5, 1]);
  });

  it("gives nothing to prefer for a query without time, or when no memory fits", () => {
    expect(timeMatch("What did Melanie paint?", [at("a sunset")], NOW, DAY)).toBeUndefined();
    expect(timeMatch("When did she paint?", [at("a sunset")], NOW, DAY)).toBeUndefined();
  });
});
