import { describe, expect, it } from "vitest";
import { redisKeys, tenantOf } from "./keys.js";

describe("redisKeys", () => {
  it("puts every key in one hash-tag slot", () => {
    const keys = redisKeys("engram");
    const all = [
      keys.memory("0190"),
      keys.namespaceIds("acme/users/alice"),
      keys.namespaces,
      keys.namespaceKeys("acme"),
      keys.namespaceHashes("acme"),
      keys.vectorsByHash,
      keys.history("0190"),
      keys.namespaceHistory("acme"),
      keys.events("acme"),
      keys.namespaceVersion("acme"),
      keys.meta,
      keys.thread("acme/u", "t:1"),
      keys.threadMessages("acme/u", "t"),
      keys.threadOrder("acme/u", "t"),
      keys.threadAppends("acme/u", "t"),
      keys.namespaceThreads("acme/u"),
      keys.threadHomes("acme", "t"),
      keys.messageHomes("acme/u"),
      keys.conversationNamespaces,
      keys.workingMemory("acme/u"),
    ];
    for (const key of all) expect(key.startsWith("{engram}:")).toBe(true);
    expect(keys.namespaceIds("acme/users/alice")).toBe("{engram}:ns:acme/users/alice");
    // An encoded namespace never holds ":", so the first ":" after it ends it: ids may hold ":".
    expect(keys.thread("a/b", "c:d")).toBe("{engram}:thread:a/b:c:d");
    expect(keys.thread("a/b", "c:d")).not.toBe(keys.thread("a/b%3Ac", "d"));
  });

  it("follows every namespace's channel with one pattern, the prefix taken literally", () => {
    expect(redisKeys("engram").channelPattern).toBe("{engram}:changes:*");
    expect(redisKeys("a*b?[c]\\d").channelPattern).toBe("{a\\*b\\?\\[c\\]\\\\d}:changes:*");
    expect(redisKeys("engram").channel("acme/u")).toBe(
      `${redisKeys("engram").channelPrefix}acme/u`,
    );
  });

  it("finds the tenant of an encoded namespace", () => {
    expect(tenantOf("acme/users/alice")).toBe("acme");
    expect(tenantOf("acme")).toBe("acme");
    expect(tenantOf("a%3Ab/c")).toBe("a%3Ab");
  });
});
