import { createMemory, EngramError, type Memory, type MemoryOptions } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EngramStore } from "../src/engram-store/engram-store.js";

/** A backend for one test, and how to remove what it stored. */
export interface StoreTarget {
  backend: NonNullable<MemoryOptions["backend"]>;
  cleanup(): Promise<void>;
}

/** The same behaviour checks for every backend `EngramStore` runs on. */
export function describeStoreBehaviour(name: string, makeTarget: () => StoreTarget) {
  describe(`EngramStore on ${name}`, () => {
    let target: StoreTarget;
    let memory: Memory;
    let store: EngramStore;
    let clock: number;

    beforeEach(() => {
      target = makeTarget();
      clock = Date.UTC(2026, 0, 1);
      // A clock that ticks on every read makes updatedAt orderings deterministic.
      memory = createMemory({
        backend: target.backend,
        embedder: createTestEmbedder(),
        now: () => (clock += 1000),
      });
      store = new EngramStore({ memory, roots: [["docs"], ["users"]] });
    });

    afterEach(async () => {
      await store.stop();
      await target.cleanup();
      await memory.close();
    });

    it("round-trips a value exactly, with dates, and a put replaces the item", async () => {
      const value = {
        title: "Plan",
        nested: { list: [1, 2.5, "x", null, { deep: true }] },
        emoji: "ü✓",
      };
      await store.put(["docs", "a"], "plan", value);
      const first = await store.get(["docs", "a"], "plan");
      expect(first).toMatchObject({ namespace: ["docs", "a"], key: "plan", value });
      expect(first?.createdAt).toBeInstanceOf(Date);
      expect(first?.updatedAt).toBeInstanceOf(Date);

      await store.put(["docs", "a"], "plan", { title: "Plan v2" });
      const second = await store.get(["docs", "a"], "plan");
      expect(second?.value).toEqual({ title: "Plan v2" });
      expect(second?.createdAt).toEqual(first?.createdAt);
      expect(second!.updatedAt.getTime()).toBeGreaterThan(first!.updatedAt.getTime());
      // Keyed: a second put never adds a memory, and core's dedup never merges items.
      await store.put(["docs", "a"], "copy", { title: "Plan v2" });
      expect((await memory.list({ namespace: ["docs", "a"] })).memories).toHaveLength(2);
      expect(await store.get(["docs", "a"], "missing")).toBeNull();
    });

    it("deletes an item", async () => {
      await store.put(["docs"], "gone", { text: "bye" });
      await store.delete(["docs"], "gone");
      expect(await store.get(["docs"], "gone")).toBeNull();
      expect((await memory.list({ namespace: ["docs"] })).memories).toEqual([]);
    });

    it("searches a subtree of exact segments, newest change first, with limit and offset", async () => {
      await store.put(["docs", "a"], "one", { n: 1 });
      await store.put(["docs", "a", "deep"], "two", { n: 2 });
      await store.put(["docs", "ab"], "three", { n: 3 });
      await store.put(["docs", "a"], "one", { n: 4 }); // updated last
      const found = await store.search(["docs", "a"]);
      expect(found.map((item) => [item.key, item.value.n])).toEqual([
        ["one", 4],
        ["two", 2],
      ]);
      expect(found[0]?.score).toBeUndefined();
      const page = await store.search(["docs"], { limit: 1, offset: 1 });
      expect(page.map((item) => item.key)).toEqual(["three"]);
      expect((await store.search([])).map((item) => item.key)).toEqual(["one", "three", "two"]);
    });

    it("filters by exact values and every operator", async () => {
      await store.put(["docs"], "a", { color: "red", size: 1, tags: ["x"] });
      await store.put(["docs"], "b", { color: "blue", size: 5 });
      await store.put(["docs"], "c", { color: "red", size: 10, gone: null });
      const keys = async (filter: Record<string, unknown>) =>
        (await store.search(["docs"], { filter })).map((item) => item.key).sort();
      expect(await keys({ color: "red" })).toEqual(["a", "c"]);
      expect(await keys({ color: "red", size: 10 })).toEqual(["c"]);
      expect(await keys({ tags: ["x"] })).toEqual(["a"]);
      expect(await keys({ gone: null })).toEqual(["c"]);
      expect(await keys({ color: { $eq: "blue" } })).toEqual(["b"]);
      expect(await keys({ color: { $ne: "red" } })).toEqual(["b"]);
      expect(await keys({ size: { $gt: 5 } })).toEqual(["c"]);
      expect(await keys({ size: { $gte: 5 } })).toEqual(["b", "c"]);
      expect(await keys({ size: { $lt: 5 } })).toEqual(["a"]);
      expect(await keys({ size: { $lte: 5 } })).toEqual(["a", "b"]);
      expect(await keys({ size: { $gt: 1, $lt: 10 } })).toEqual(["b"]);
      expect(await keys({ color: { $in: ["blue", "green"] } })).toEqual(["b"]);
      expect(await keys({ color: { $nin: ["blue"] } })).toEqual(["a", "c"]);
      await expect(store.search(["docs"], { filter: { size: { $like: 1 } } })).rejects.toSatisfy(
        (error) => EngramError.isInstance(error) && error.code === "INVALID_ARGUMENT",
      );
    });

    it("ranks a query search by meaning and scores each item", async () => {
      await store.put(["docs"], "db", { text: "The team database is PostgreSQL" });
      await store.put(["docs"], "ui", { text: "Alice prefers a dark theme" });
      await store.put(["docs", "x"], "cook", { text: "Pasta needs salted water" });
      const found = await store.search(["docs"], { query: "which database does the team use" });
      expect(found[0]?.key).toBe("db");
      for (const item of found) expect(typeof item.score).toBe("number");
      expect(found[0]!.score!).toBeGreaterThan(found[1]!.score!);
      const filtered = await store.search(["docs"], {
        query: "database",
        filter: { text: { $ne: "The team database is PostgreSQL" } },
      });
      expect(filtered.map((item) => item.key)).not.toContain("db");
    });

    it("asks core for just the page of a query search, so only the page counts as used", async () => {
      const texts = ["database backups", "database replicas", "database owners", "lunch menu"];
      for (const [i, text] of texts.entries()) await store.put(["docs"], `k${i}`, { text });
      const all = await store.search(["docs"], { query: "database", limit: 4 });
      const page = await store.search(["docs"], { query: "database", limit: 2, offset: 1 });
      expect(page.map((item) => item.key)).toEqual(all.slice(1, 3).map((item) => item.key));
      const used = (await memory.list({ namespace: ["docs"] })).memories.filter(
        (m) => m.accessCount === 2,
      );
      expect(used.map((m) => m.metadata["langgraph:key"]).sort()).toEqual(
        all
          .slice(1, 3)
          .map((item) => item.key)
          .sort(),
      );
    });

    it("keeps index: false items out of query search but lists and filters them", async () => {
      await store.put(
        ["docs"],
        "secret",
        { text: "PostgreSQL password rotation", kind: "ops" },
        false,
      );
      await store.put(["docs"], "db", { text: "PostgreSQL is our database", kind: "ops" });
      const byQuery = await store.search(["docs"], { query: "PostgreSQL password rotation" });
      expect(byQuery.map((item) => item.key)).toEqual(["db"]);
      const listed = await store.search(["docs"], { filter: { kind: "ops" } });
      expect(listed.map((item) => item.key).sort()).toEqual(["db", "secret"]);
      expect((await store.get(["docs"], "secret"))?.value).toEqual({
        text: "PostgreSQL password rotation",
        kind: "ops",
      });
    });

    it("embeds only the given fields, per store and per put", async () => {
      const titled = new EngramStore({ memory, index: { fields: ["title", "chapters[*].text"] } });
      await titled.put(["docs"], "book", {
        title: "Gardening",
        chapters: [{ text: "Roses" }, { text: "Soil" }],
        body: "ignored",
      });
      await titled.put(["docs"], "note", { title: "Cooking", body: "Pasta" }, ["body"]);
      const contents = (await memory.list({ namespace: ["docs"] })).memories
        .map((m) => m.content)
        .sort();
      expect(contents).toEqual(["Gardening\n\nRoses\n\nSoil", "Pasta"]);
      await store.put(["docs"], "all", { a: 1 });
      const whole = await memory.list({ namespace: ["docs"], metadata: { a: 1 } });
      expect(whole.memories[0]?.content).toBe(JSON.stringify({ a: 1 }, null, 2));
    });

    it("lists namespaces by prefix, suffix, wildcard and depth, with limit and offset", async () => {
      for (const namespace of [
        ["docs", "a", "v1"],
        ["docs", "a", "v2"],
        ["docs", "b", "v1"],
        ["users", "alice", "v1"],
      ]) {
        await store.put(namespace, "k", { n: 1 });
      }
      expect(await store.listNamespaces({ prefix: ["docs"] })).toEqual([
        ["docs", "a", "v1"],
        ["docs", "a", "v2"],
        ["docs", "b", "v1"],
      ]);
      expect(await store.listNamespaces({ suffix: ["v1"] })).toEqual([
        ["docs", "a", "v1"],
        ["docs", "b", "v1"],
        ["users", "alice", "v1"],
      ]);
      expect(await store.listNamespaces({ prefix: ["docs", "*", "v1"] })).toEqual([
        ["docs", "a", "v1"],
        ["docs", "b", "v1"],
      ]);
      expect(await store.listNamespaces({ maxDepth: 2 })).toEqual([
        ["docs", "a"],
        ["docs", "b"],
        ["users", "alice"],
      ]);
      expect(await store.listNamespaces({ prefix: ["docs"], limit: 1, offset: 1 })).toEqual([
        ["docs", "a", "v2"],
      ]);
    });

    it("shares memories with core in both directions", async () => {
      await store.put(["users", "alice"], "theme", { text: "Alice prefers dark mode" });
      const recalled = await memory.recall({
        namespace: ["users", "alice"],
        query: "dark mode preference",
      });
      expect(recalled[0]?.content).toContain("Alice prefers dark mode");

      const { id } = await memory.remember({
        namespace: ["users", "alice"],
        content: "Alice drinks green tea",
        metadata: { source: "chat" },
      });
      const found = await store.search(["users"], { query: "green tea", limit: 1 });
      expect(found[0]).toMatchObject({
        namespace: ["users", "alice"],
        key: id,
        value: { content: "Alice drinks green tea", kind: "fact", source: "chat" },
      });
      expect((await store.get(["users", "alice"], id))?.value.content).toBe(
        "Alice drinks green tea",
      );
      expect(await store.search(["users"], { filter: { source: "chat" } })).toHaveLength(1);

      // A memory remembered through core under a key is the item of that key.
      await memory.remember({ namespace: ["users", "alice"], key: "city", content: "Berlin" });
      expect(await store.get(["users", "alice"], "city")).toMatchObject({
        key: "city",
        value: { content: "Berlin" },
      });
      expect(await store.get(["users"], "city")).toBeNull();
    });

    it("rejects a bad batch with an EngramError and writes nothing", async () => {
      const bad = store.batch([
        { namespace: ["docs"], key: "ok", value: { a: 1 } },
        { namespace: ["docs"], key: "bad", value: { "langgraph:key": "x" } },
      ]);
      await expect(bad).rejects.toSatisfy(
        (error) => EngramError.isInstance(error) && error.code === "INVALID_ARGUMENT",
      );
      const badDelete = store.batch([
        { namespace: ["docs"], key: "ok", value: { a: 1 } },
        { namespace: ["docs", "not/valid"], key: "k", value: null },
      ]);
      await expect(badDelete).rejects.toSatisfy(
        (error) => EngramError.isInstance(error) && error.code === "INVALID_NAMESPACE",
      );
      await expect(store.put(["docs", "not/valid"], "k", { a: 1 })).rejects.toSatisfy(
        (error) => EngramError.isInstance(error) && error.code === "INVALID_NAMESPACE",
      );
      expect((await memory.list({ within: ["docs"] })).memories).toEqual([]);
      const unrooted = new EngramStore({ memory });
      await expect(unrooted.search([])).rejects.toSatisfy(
        (error) => EngramError.isInstance(error) && error.code === "INVALID_ARGUMENT",
      );
    });

    it("runs a batch's reads before its writes, the last write to a key winning", async () => {
      const [before, , , listed] = await store.batch([
        { namespace: ["docs"], key: "k" },
        { namespace: ["docs"], key: "k", value: { v: 1 } },
        { namespace: ["docs"], key: "k", value: { v: 2 } },
        { namespacePrefix: ["docs"], limit: 10, offset: 0 },
      ]);
      expect(before).toBeNull();
      expect(listed).toEqual([]);
      expect((await store.get(["docs"], "k"))?.value).toEqual({ v: 2 });
    });
  });
}
