import { describe, expect, it } from "vitest";
import { frame, unframe } from "./frame.js";

describe("frame", () => {
  it("round-trips strings, empty parts and binary bytes", () => {
    const bytes = new Uint8Array([0, 255, 10, 13]);
    const parts = unframe(frame(["json", "", bytes, "ünïcode"]));
    expect(parts.map((part) => part.toString("utf8"))[0]).toBe("json");
    expect(parts[1]?.length).toBe(0);
    expect([...(parts[2] ?? [])]).toEqual([...bytes]);
    expect(parts[3]?.toString("utf8")).toBe("ünïcode");
  });
});
