import { describe, expect, it } from "vitest";
import { type ContextCandidate, neighbourLift } from "./neighbour-context.js";

const HOUR = 3_600_000;
const candidate = (id: string, score: number, fields: Partial<ContextCandidate> = {}) => ({
  id,
  namespace: "n",
  createdAt: 0,
  score,
  ...fields,
});

describe("neighbourLift", () => {
  it("lifts a memory part of the way towards its more relevant neighbour, never past it", () => {
    const lift = neighbourLift(
      [candidate("c", 0.2), candidate("a", 0.1), candidate("b", 0.9), candidate("d", 0.4)],
      0.5,
      HOUR,
    );
    // Creation order a, b, c, d: a and c sit next to b; d's neighbour c is weaker than d, but b,
    // two places away, passes on half its lead: d rises half of the way to 0.65.
    expect(lift.get("a")).toBeCloseTo(0.4, 10);
    expect(lift.get("c")).toBeCloseTo(0.35, 10);
    expect(lift.has("b")).toBe(false);
    expect(lift.get("d")).toBeCloseTo(0.125, 10);
  });

  it("counts only memories of the same namespace written within the window", () => {
    const lift = neighbourLift(
      [
        candidate("a", 0.9, { namespace: "x" }),
        candidate("b", 0.1, { namespace: "y" }),
        candidate("c", 0.9, { namespace: "y", createdAt: 2 * HOUR }),
      ],
      0.5,
      HOUR,
    );
    expect(lift.size).toBe(0);
  });

  it("orders by createdAt before writing order, so imported history finds its own neighbours", () => {
    // Written a, b, c, but b happened an hour before a: the order in time is b, a, c, so c's
    // neighbour is a, and b, two places away, passes on half its lead (0.1 -> 0.5, lifted 0.2).
    const lift = neighbourLift(
      [
        candidate("a", 0.2, { createdAt: 2 * HOUR }),
        candidate("b", 0.9, { createdAt: HOUR }),
        candidate("c", 0.1, { createdAt: 3 * HOUR }),
      ],
      0.5,
      HOUR,
    );
    expect(lift.get("a")).toBeCloseTo(0.35, 10);
    expect(lift.get("c")).toBeCloseTo(0.2, 10);
  });

  it("does nothing at weight 0", () => {
    expect(neighbourLift([candidate("a", 0.9), candidate("b", 0.1)], 0, HOUR).size).toBe(0);
  });
});
