import { describe, expect, it } from "vitest";
import { type CachedNamespace, ScopeCache } from "./scope-cache.js";

const entry = (version: string): CachedNamespace => ({
  version,
  records: new Map(),
  vectors: new Map(),
});

describe("ScopeCache", () => {
  it("serves an entry only under the version token it was read with", () => {
    const cache = new ScopeCache();
    cache.set("a", entry("t1"), cache.ticket("a"));
    expect(cache.get("a", "t1")).toBeDefined();
    expect(cache.get("a", "t2")).toBeUndefined();
    expect(cache.get("a", "")).toBeUndefined();
  });

  it("after its own write, drops only the namespaces it touched", () => {
    const cache = new ScopeCache();
    cache.set("a", entry("t1"), cache.ticket("a"));
    cache.set("b", entry("t1"), cache.ticket("b"));
    cache.afterWrite(["a"]);
    expect(cache.get("a", "t1")).toBeUndefined();
    expect(cache.get("b", "t1")).toBeDefined();
  });

  it("never keeps a read that a write overtook", () => {
    const cache = new ScopeCache();
    const ticket = cache.ticket("a");
    cache.afterWrite(["a"]); // lands while "a" is being read
    cache.set("a", entry("t1"), ticket);
    expect(cache.get("a", "t1")).toBeUndefined();
    cache.set("a", entry("t1"), cache.ticket("a"));
    expect(cache.get("a", "t1")).toBeDefined();
  });
});
