import { describe, expect, it } from "vitest";
import { type CachedNamespace, ScopeCache } from "./scope-cache.js";

const entry = (version: string): CachedNamespace => ({
  namespace: "ns",
  version,
  records: new Map(),
  vectors: new Map(),
});

/** A cache whose feed is up, with a barrier that resolves at once. */
function followedCache(): ScopeCache {
  const cache = new ScopeCache();
  cache.feedUp(async () => "PONG");
  return cache;
}

describe("ScopeCache", () => {
  it("serves an entry only under the version token it was read with", async () => {
    const cache = new ScopeCache();
    await cache.fill("a", undefined, async () => entry("t1"));
    expect(cache.get("a", "t1")).toBeDefined();
    expect(cache.get("a", "t2")).toBeUndefined();
    expect(cache.get("a", "")).toBeUndefined();
  });

  it("after a change, drops only the namespaces it touched", async () => {
    const cache = new ScopeCache();
    await cache.fill("a", undefined, async () => entry("t1"));
    await cache.fill("b", undefined, async () => entry("t1"));
    cache.invalidate("a", "t2");
    expect(cache.get("a", "t1")).toBeUndefined();
    expect(cache.get("b", "t1")).toBeDefined();
  });

  it("keeps an entry read under the very token a change carries", async () => {
    const cache = new ScopeCache();
    await cache.fill("a", undefined, async () => entry("t2"));
    cache.invalidate("a", "t2");
    expect(cache.get("a", "t2")).toBeDefined();
    cache.invalidate("a", undefined);
    expect(cache.get("a", "t2")).toBeUndefined();
  });

  it("never keeps a read that a change with another token overtook", async () => {
    const cache = new ScopeCache();
    await cache.fill("a", undefined, async () => {
      cache.invalidate("a", "t2"); // lands while "a" is being read under t1
      return entry("t1");
    });
    expect(cache.get("a", "t1")).toBeUndefined();
    await cache.fill("a", undefined, async () => {
      cache.invalidate("a", "t2"); // its own change's message, while read under t2
      return entry("t2");
    });
    expect(cache.get("a", "t2")).toBeDefined();
  });

  it("vouches for entries only while the feed is up, and only in the epoch they were confirmed", async () => {
    const cache = followedCache();
    const epoch = cache.watching();
    await cache.fill("a", epoch, async () => entry("t1"));
    const vouched = await cache.vouched();
    expect(vouched).toBe(epoch);
    expect(cache.trusted("a", vouched!)).toBeDefined();

    cache.feedDown();
    expect(await cache.vouched()).toBeUndefined();
    cache.feedUp(async () => "PONG");
    const after = await cache.vouched();
    expect(cache.trusted("a", after!)).toBeUndefined(); // messages in the gap may be lost
    expect(cache.get("a", "t1")).toBeDefined(); // a token check can confirm it again
    cache.confirm("a", cache.get("a", "t1")!, cache.watching());
    expect(cache.trusted("a", after!)).toBeDefined();
  });

  it("does not trust a read during which the feed dropped", async () => {
    const cache = followedCache();
    const epoch = cache.watching();
    await cache.fill("a", epoch, async () => {
      cache.feedDown();
      cache.feedUp(async () => "PONG");
      return entry("t1");
    });
    expect(cache.trusted("a", cache.watching()!)).toBeUndefined();
  });

  it("falls back to token checks when the barrier fails", async () => {
    const cache = new ScopeCache();
    cache.feedUp(async () => {
      throw new Error("connection lost");
    });
    expect(await cache.vouched()).toBeUndefined();
  });
});
