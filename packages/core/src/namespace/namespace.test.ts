import { describe, expect, it } from "vitest";
import { EngramError } from "../errors/engram-error.js";
import {
  decodeNamespace,
  encodedAncestors,
  encodeNamespace,
  isWithin,
  namespaceFor,
  validateNamespace,
} from "./namespace.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return EngramError.isInstance(error) ? error.code : "not an EngramError";
  }
  return undefined;
}

describe("validateNamespace", () => {
  it("accepts ids, e-mail addresses and colon-separated ids", () => {
    expect(validateNamespace(["acme", "users", "alice@example.com", "auth0:123"])).toEqual([
      "acme",
      "users",
      "alice@example.com",
      "auth0:123",
    ]);
  });

  it.each([
    ["not an array", "acme"],
    ["empty", []],
    ["an empty segment", ["acme", ""]],
    ["a traversal segment", ["acme", ".."]],
    ["a dot segment", ["."]],
    ["a slash", ["a/b"]],
    ["a backslash", ["a\\b"]],
    ["a percent sign", ["a%3Ab"]],
    ["a space", ["a b"]],
    ["a tag-query metacharacter", ["a}|@ns:{b*"]],
    ["a non-string segment", ["a", 3]],
    ["a too-long segment", ["a".repeat(129)]],
    ["too many segments", Array.from({ length: 17 }, () => "a")],
    ["a NUL byte", ["a\u0000"]],
  ])("rejects %s with INVALID_NAMESPACE", (_, namespace) => {
    expect(codeOf(() => validateNamespace(namespace))).toBe("INVALID_NAMESPACE");
  });

  it("says which segment is wrong", () => {
    try {
      validateNamespace(["acme", ".."]);
      expect.unreachable();
    } catch (error) {
      expect((error as EngramError).details).toEqual({ namespace: ["acme", ".."], segment: 1 });
      expect((error as EngramError).message).toMatch(/traversal/);
    }
  });
});

describe("encodeNamespace", () => {
  it("is injective where a naive join would collide", () => {
    expect(encodeNamespace(["a:b"])).not.toBe(encodeNamespace(["a", "b"]));
    expect(encodeNamespace(["a:b"])).toBe("a%3Ab");
    expect(encodeNamespace(["a", "b"])).toBe("a/b");
    expect(encodeNamespace(["a:b"])).not.toContain(":");
  });

  it("round-trips through decodeNamespace", () => {
    for (const ns of [["a"], ["a:b", "c"], ["acme", "users", "x@y.z", "s:1:2"]]) {
      expect(decodeNamespace(encodeNamespace(ns))).toEqual(ns);
    }
  });

  it("lists the ancestors shortest first", () => {
    expect(encodedAncestors(["a", "b:c", "d"])).toEqual(["a", "a/b%3Ac", "a/b%3Ac/d"]);
  });
});

describe("isWithin", () => {
  it("matches a namespace and its descendants by whole segments", () => {
    expect(isWithin(["a", "b"], ["a"])).toBe(true);
    expect(isWithin(["a"], ["a"])).toBe(true);
    expect(isWithin(["ab"], ["a"])).toBe(false);
    expect(isWithin(["a"], ["a", "b"])).toBe(false);
  });
});

describe("namespaceFor", () => {
  it("builds canonical tuples from identities", () => {
    expect(namespaceFor({ tenant: "acme", user: "alice", agent: "planner" })).toEqual([
      "acme",
      "users",
      "alice",
      "agents",
      "planner",
    ]);
    expect(namespaceFor({ tenant: "acme", space: "crew-1" })).toEqual(["acme", "spaces", "crew-1"]);
    expect(namespaceFor({ tenant: "acme", user: "bob", session: "s1" })).toEqual([
      "acme",
      "users",
      "bob",
      "sessions",
      "s1",
    ]);
  });

  it("validates every identity value", () => {
    expect(codeOf(() => namespaceFor({ tenant: "acme", user: "../bob" }))).toBe(
      "INVALID_NAMESPACE",
    );
  });
});
