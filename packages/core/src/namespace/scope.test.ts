import { describe, expect, it } from "vitest";
import { EngramError } from "../errors/engram-error.js";
import { resolveScope, scopeIncludes } from "./scope.js";

describe("resolveScope", () => {
  it("accepts one namespace or a list of them", () => {
    expect(resolveScope({ namespace: ["a", "b"] })).toEqual({ exact: ["a/b"], prefixes: [] });
    expect(resolveScope({ namespace: [["a"], ["b"]] })).toEqual({
      exact: ["a", "b"],
      prefixes: [],
    });
  });

  it("unions exact namespaces and subtrees, dropping what a subtree covers", () => {
    expect(
      resolveScope({ within: [["a"], ["a", "b"], ["c"]], namespace: [["a", "x"], ["d"]] }),
    ).toEqual({
      exact: ["d"],
      prefixes: ["a", "c"],
    });
  });

  it("requires a namespace or a prefix", () => {
    expect(() => resolveScope({})).toThrow(EngramError);
  });

  it("rejects invalid namespaces anywhere in the list", () => {
    expect(() => resolveScope({ within: [["a"], [".."]] })).toThrow(/traversal/);
  });
});

describe("scopeIncludes", () => {
  it("matches whole segments only", () => {
    const scope = resolveScope({ within: ["a", "b"], namespace: ["c"] });
    expect(scopeIncludes(scope, "a/b")).toBe(true);
    expect(scopeIncludes(scope, "a/b/c")).toBe(true);
    expect(scopeIncludes(scope, "a/bc")).toBe(false);
    expect(scopeIncludes(scope, "c")).toBe(true);
    expect(scopeIncludes(scope, "c/d")).toBe(false);
  });
});
