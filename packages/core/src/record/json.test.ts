import { describe, expect, it } from "vitest";
import { jsonProblem } from "./json.js";

describe("jsonProblem", () => {
  it("accepts plain JSON", () => {
    expect(jsonProblem({ a: [1, "x", null, true, { b: 2.5 }] })).toBeUndefined();
    expect(jsonProblem(Object.create(null))).toBeUndefined();
  });

  it.each([
    ["NaN", { a: Number.NaN }],
    ["Infinity", { a: [Number.POSITIVE_INFINITY] }],
    ["a function", { a: () => 1 }],
    ["undefined", { a: undefined }],
    ["a bigint", { a: 1n }],
    ["a Date", { a: new Date() }],
    ["a Map", { a: new Map() }],
    ["a symbol", { a: Symbol("s") }],
  ])("rejects %s", (_, value) => {
    expect(jsonProblem(value)).toBeTypeOf("string");
  });

  it("rejects cycles and deep nesting", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(jsonProblem(cyclic)).toMatch(/cycle/);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(jsonProblem(deep)).toMatch(/deeper/);
  });

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { x: 1 };
    expect(jsonProblem({ a: shared, b: shared })).toBeUndefined();
  });
});
