import { describe, expect, it } from "vitest";
import { keySlot } from "./cluster-client.js";
import { redisKeys, tenantTag } from "./keys.js";

/** The hash tag Redis Cluster hashes a key by: its first non-empty `{...}`. */
const tagOf = (key: string) => /\{([^}]+)\}/.exec(key)?.[1];

describe("redisKeys", () => {
  it("puts every key of one tenant in one hash-tag slot, the tenant's", () => {
    const keys = redisKeys("engram");
    const tenantKeys = [
      keys.memory("acme", "0190"),
      keys.access("acme", "0190"),
      keys.namespaceIds("acme/users/alice"),
      keys.namespaces("acme"),
      keys.namespaceKeys("acme"),
      keys.namespaceHashes("acme/u"),
      keys.vectorsByHash("acme"),
      keys.history("acme", "0190"),
      keys.namespaceHistory("acme"),
      keys.events("acme"),
      keys.channel("acme/u"),
      keys.namespaceVersion("acme"),
      keys.commitMarker("acme", "x"),
      keys.nearSequence("acme"),
      keys.thread("acme/u", "t:1"),
      keys.threadMessages("acme/u", "t"),
      keys.threadOrder("acme/u", "t"),
      keys.threadAppends("acme/u", "t"),
      keys.namespaceThreads("acme/u"),
      keys.threadHomes("acme", "t"),
      keys.messageHomes("acme/u"),
      keys.conversationNamespaces("acme"),
      keys.workingMemory("acme/u"),
    ];
    const tags = new Set(tenantKeys.map(tagOf));
    expect([...tags]).toEqual([keys.tag("acme").slice(1, -1)]);
    for (const key of tenantKeys) {
      expect(key.startsWith("engram:")).toBe(true);
      expect(keys.owns(key)).toBe(true);
    }
    expect(keys.namespaceIds("acme/users/alice")).toBe(
      `engram:ns:${tenantTag("engram", "acme")}:acme/users/alice`,
    );
    // An encoded namespace never holds ":", so the first ":" after it ends it: ids may hold ":".
    expect(keys.thread("a/b", "c:d")).toBe(`engram:thread:${keys.tag("a")}:a/b:c:d`);
    expect(keys.thread("a/b", "c:d")).not.toBe(keys.thread("a/b%3Ac", "d"));
  });

  it("gives tenants different slots, a tenant's tag depending on the store too", () => {
    const keys = redisKeys("engram");
    const slots = new Set(
      Array.from({ length: 100 }, (_, i) => keySlot(keys.namespaces(`tenant-${i}`))),
    );
    expect(slots.size).toBeGreaterThan(90);
    expect(tenantTag("a", "acme")).not.toBe(tenantTag("b", "acme"));
    // A tenant may hold characters that would end a hash tag; its digest never does.
    expect(tenantTag("engram", "a}b{c")).toMatch(/^\{[0-9a-f]{12}\}$/);
  });

  it("keeps the search index's prefix to memory hashes of this store only", () => {
    const keys = redisKeys("a");
    const other = redisKeys("a:mem");
    expect(keys.memory("t", "1").startsWith(keys.memoryPrefix)).toBe(true);
    for (const key of [
      keys.access("t", "1"),
      keys.commitMarker("t", "1"),
      keys.home("1"),
      keys.meta,
      keys.tenants,
      other.memory("t", "1"),
      other.namespaces("t"),
    ])
      expect(key.startsWith(keys.memoryPrefix)).toBe(false);
    expect(keys.idOfMemoryKey(keys.memory("t", "0190:x"))).toBe("0190:x");
    expect(keys.owns(other.memory("t", "1"))).toBe(false);
  });

  it("follows every namespace's channel with one pattern, the prefix taken literally", () => {
    expect(redisKeys("engram").channelPattern).toBe("engram:changes:{*");
    expect(redisKeys("a*b?[c]\\d").channelPattern).toBe("a\\*b\\?\\[c\\]\\\\d:changes:{*");
    const keys = redisKeys("engram");
    expect(keys.namespaceOfChannel(keys.channel("acme/u"))).toBe("acme/u");
  });

  it("finds the tenant of an encoded namespace", () => {
    const { tenantOf } = redisKeys("engram");
    expect(tenantOf("acme/users/alice")).toBe("acme");
    expect(tenantOf("acme")).toBe("acme");
    expect(tenantOf("a%3Ab/c")).toBe("a%3Ab");
  });

  it("makes a tenant of the first tenantSegments segments", () => {
    const keys = redisKeys("engram", 2);
    expect(keys.tenantOf("org/a/user/u")).toBe("org/a");
    expect(keys.tenantOf("org/a")).toBe("org/a");
    expect(keys.tenantOf("org")).toBe("org");
    expect(keys.tenantOf("a%3Ab/c%3Ad/e")).toBe("a%3Ab/c%3Ad");
    expect(keys.spansTenants("org")).toBe(true);
    expect(keys.spansTenants("org/a")).toBe(false);
    expect(keys.spansTenants("org/a/user")).toBe(false);
    expect(redisKeys("engram").spansTenants("org")).toBe(false);
    // Each org has its own tag; one org's namespaces share it.
    expect(keys.namespaceIds("org/a/user/u")).toContain(tenantTag("engram", "org/a"));
    expect(keys.namespaceIds("org/b")).toContain(tenantTag("engram", "org/b"));
    expect(redisKeys("engram", 3).tenantOf("a/b/c/d")).toBe("a/b/c");
  });
});
