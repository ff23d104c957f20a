import { describe, expect, it } from "vitest";
import { createId, isId } from "./ids.js";

describe("createId", () => {
  it("makes UUIDv7 ids that sort by creation time", () => {
    const ids = Array.from({ length: 5000 }, () => createId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every(isId)).toBe(true);
  });

  it("stays increasing when the clock goes backwards", () => {
    const later = createId(Date.now() + 10_000);
    const earlier = createId(Date.now());
    expect(earlier > later).toBe(true);
  });

  it("encodes the timestamp in the first 48 bits", () => {
    const at = Date.UTC(2030, 0, 1);
    const id = createId(at + 60_000);
    expect(Number.parseInt(id.replace("-", "").slice(0, 12), 16)).toBeGreaterThanOrEqual(
      at + 60_000,
    );
  });
});
