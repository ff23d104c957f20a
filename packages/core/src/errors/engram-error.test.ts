import { describe, expect, it } from "vitest";
import { EngramError } from "./engram-error.js";

describe("EngramError", () => {
  it("carries a stable code, a cause and details", () => {
    const cause = new Error("boom");
    const error = new EngramError("NOT_FOUND", "no memory mem_1", {
      cause,
      details: { id: "mem_1" },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ id: "mem_1" });
  });

  it("is recognised across copies of the package through a global symbol", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("engram.error")]: true,
      code: "NOT_FOUND",
    });
    expect(EngramError.isInstance(foreign)).toBe(true);
    expect(EngramError.isInstance(new Error("plain"))).toBe(false);
    expect(EngramError.isInstance(null)).toBe(false);
    expect(EngramError.isInstance(new EngramError("CLOSED", "closed"))).toBe(true);
  });

  it("serialises to the JSON the server returns", () => {
    const error = new EngramError("INVALID_ARGUMENT", "bad", { details: { issues: [] } });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "EngramError",
      code: "INVALID_ARGUMENT",
      message: "bad",
      details: { issues: [] },
    });
    expect(new EngramError("CLOSED", "closed").toJSON()).toEqual({
      name: "EngramError",
      code: "CLOSED",
      message: "closed",
    });
  });
});
