import { describe, expect, it } from "vitest";
import {
  createIndexArguments,
  DEFAULT_HNSW,
  escapeQueryValue,
  filterQuery,
  indexCanFilter,
  knnPolicy,
  parseSearchReply,
  type SearchIndex,
  vectorSearchArguments,
} from "./search-query.js";

const index: SearchIndex = {
  name: "engram:idx:test-model",
  keyPrefix: "{engram}:mem:",
  dimensions: 384,
  hnsw: DEFAULT_HNSW,
};
const NOW = 1_800_000_000_000;
const everything = { exact: ["acme/users/alice"], prefixes: [] };

/** The query's structure: escaped characters dropped, every word shown as `w`. */
function syntaxOf(query: string): string {
  return query.replace(/\\./g, "").replace(/[\p{L}\p{N}_]+/gu, "w");
}

describe("createIndexArguments", () => {
  it("pins the index: tags, core's stems, numbers and an HNSW cosine vector", () => {
    // biome-ignore format: one field per line reads like the schema
    expect(createIndexArguments({ ...index, hnsw: { m: 24, efConstruction: 300, efRuntime: 150 } })).toEqual([
      "FT.CREATE", "engram:idx:test-model", "ON", "HASH", "PREFIX", "1", "{engram}:mem:",
      "STOPWORDS", "0", "SCHEMA",
      "namespace", "TAG", "CASESENSITIVE",
      "ancestors", "TAG", "CASESENSITIVE",
      "kind", "TAG", "CASESENSITIVE",
      "tagset", "TAG", "CASESENSITIVE",
      "key", "TAG", "CASESENSITIVE",
      "pinned", "TAG",
      "createdAt", "NUMERIC", "updatedAt", "NUMERIC", "expiresAt", "NUMERIC", "importance", "NUMERIC",
      "vector", "VECTOR", "HNSW", "12", "TYPE", "FLOAT32", "DIM", "384", "DISTANCE_METRIC", "COSINE",
      "M", "24", "EF_CONSTRUCTION", "300", "EF_RUNTIME", "150",
    ]);
  });

  it("skips the initial keyspace scan only when asked", () => {
    const args = createIndexArguments(index, true);
    expect(args.slice(args.indexOf("STOPWORDS"), args.indexOf("SCHEMA") + 1)).toEqual([
      "STOPWORDS",
      "0",
      "SKIPINITIALSCAN",
      "SCHEMA",
    ]);
    expect(createIndexArguments(index)).not.toContain("SKIPINITIALSCAN");
  });

  it("refuses dimensions that are not a positive integer", () => {
    expect(() => createIndexArguments({ ...index, dimensions: 0 })).toThrow(RangeError);
    expect(() => createIndexArguments({ ...index, dimensions: 1.5 })).toThrow(RangeError);
  });
});

describe("escapeQueryValue", () => {
  it("escapes every ASCII punctuation mark and space, and nothing else", () => {
    expect(escapeQueryValue("acme/users/a.b-c@d")).toBe("acme\\/users\\/a\\.b\\-c\\@d");
    expect(escapeQueryValue("a b\tc")).toBe("a\\ b\\\tc");
    expect(escapeQueryValue("Zürich_2026")).toBe("Zürich_2026");
    expect(escapeQueryValue("$param")).toBe("\\$param");
  });
});

describe("filterQuery", () => {
  it("matches exact namespaces and subtrees, and hides expired memories", () => {
    expect(filterQuery({ exact: ["acme/team"], prefixes: ["acme/users"] }, {}, NOW)).toBe(
      "((@namespace:{acme\\/team} | @ancestors:{acme\\/users}) -@expiresAt:[-inf 1800000000000])",
    );
  });

  it("adds kinds, every tag, pinned and exclusive time bounds", () => {
    const query = filterQuery(
      everything,
      {
        kinds: ["fact", "tool-result"],
        tags: ["billing", "eu"],
        pinned: true,
        createdAfter: 10,
        createdBefore: 20,
        updatedAfter: 30,
      },
      NOW,
    );
    expect(query).toBe(
      "(@namespace:{acme\\/users\\/alice} @kind:{fact | tool\\-result} @tagset:{billing} @tagset:{eu} " +
        "@pinned:{1} @createdAt:[(10 (20] @updatedAt:[(30 +inf] -@expiresAt:[-inf 1800000000000])",
    );
  });

  it("never lets a namespace segment close its tag and widen the query", () => {
    const hostile = "a}|@namespace:{b*";
    const query = filterQuery({ exact: [hostile], prefixes: [hostile] }, {}, NOW);
    expect(query).toBe(
      "((@namespace:{a\\}\\|\\@namespace\\:\\{b\\*} | @ancestors:{a\\}\\|\\@namespace\\:\\{b\\*}) " +
        "-@expiresAt:[-inf 1800000000000])",
    );
    // Once escapes are removed, only our own braces and operators are left.
    expect(syntaxOf(query)).toBe("((@w:{w} | @w:{w}) -@w:[-w w])");
  });

  it("never lets a filter value break out of its clause", () => {
    const query = filterQuery(
      everything,
      { kinds: ["x) | (@kind:{y"], tags: ["t} | @namespace:{*"] },
      NOW,
    );
    expect(syntaxOf(query)).toBe("(@w:{w} @w:{w} @w:{w} -@w:[-w w])");
  });

  it("refuses time bounds that are not numbers", () => {
    expect(() => filterQuery(everything, { createdAfter: Number.NaN }, NOW)).toThrow(RangeError);
  });

  it("leaves metadata to the caller", () => {
    expect(indexCanFilter({ kinds: ["fact"] })).toBe(true);
    expect(indexCanFilter({ metadata: { team: "a" } })).toBe(false);
  });
});

describe("vectorSearchArguments", () => {
  it("runs one prefiltered KNN with the vector as a parameter, returning only distances", () => {
    const vector = Buffer.from([1, 2, 3, 4]);
    const prefilter = filterQuery(everything, { kinds: ["fact"] }, NOW);
    expect(vectorSearchArguments(index, prefilter, vector, 10)).toEqual([
      "FT.SEARCH",
      "engram:idx:test-model",
      "(@namespace:{acme\\/users\\/alice} @kind:{fact} -@expiresAt:[-inf 1800000000000])" +
        "=>[KNN 10 @vector $vector EF_RUNTIME 128 AS __distance]",
      "PARAMS",
      "2",
      "vector",
      vector,
      "SORTBY",
      "__distance",
      "ASC",
      "RETURN",
      "1",
      "__distance",
      "LIMIT",
      "0",
      "10",
      "DIALECT",
      "2",
    ]);
  });

  it("refuses a limit that is not a positive integer", () => {
    expect(() => vectorSearchArguments(index, "(*)", Buffer.alloc(4), 0)).toThrow(RangeError);
  });

  it("searches at least as many candidates as it returns", () => {
    const args = vectorSearchArguments(index, "(*)", Buffer.alloc(4), 400);
    expect(args[2]).toBe("(*)=>[KNN 400 @vector $vector EF_RUNTIME 400 AS __distance]");
  });
});

describe("knnPolicy", () => {
  it("leaves the choice to RediSearch when a size is unknown or the scope is a small share", () => {
    expect(knnPolicy(18, undefined, 100_000)).toEqual({ kind: "auto" });
    expect(knnPolicy(18, 50_000, undefined)).toEqual({ kind: "auto" });
    expect(knnPolicy(18, 4_999, 100_000)).toEqual({ kind: "auto" });
    // A small index: brute force is cheap and exact.
    expect(knnPolicy(18, 5_000, 5_000)).toEqual({ kind: "auto" });
    expect(knnPolicy(18, 10_000, 10_000)).toEqual({ kind: "batches", batchSize: 18 });
  });

  it("walks the graph in batches expected to hold k of the scope's memories", () => {
    expect(knnPolicy(18, 100_000, 100_000)).toEqual({ kind: "batches", batchSize: 18 });
    // An index size read before the latest writes can be below the scope's.
    expect(knnPolicy(18, 120_000, 100_000)).toEqual({ kind: "batches", batchSize: 18 });
    expect(knnPolicy(308, 10_000, 100_000)).toEqual({ kind: "batches", batchSize: 3_080 });
    expect(knnPolicy(308, 5_000, 1_000_000)).toEqual({ kind: "auto" });
    expect(knnPolicy(1_000, 50_000, 1_000_000)).toEqual({ kind: "batches", batchSize: 10_000 });
  });
});

describe("vectorSearchArguments with a policy", () => {
  it("names the policy and batch size in the KNN clause", () => {
    const args = vectorSearchArguments(index, "(*)", Buffer.alloc(4), 18, {
      kind: "batches",
      batchSize: 40,
    });
    expect(args[2]).toBe(
      "(*)=>[KNN 18 @vector $vector HYBRID_POLICY BATCHES BATCH_SIZE 40 EF_RUNTIME 128 AS __distance]",
    );
  });
});

describe("parseSearchReply", () => {
  it("reads documents and their returned fields", () => {
    expect(parseSearchReply([2, "k1", ["__distance", "0.5"], "k2", ["__distance", "0.7"]])).toEqual(
      [
        { key: "k1", fields: new Map([["__distance", "0.5"]]) },
        { key: "k2", fields: new Map([["__distance", "0.7"]]) },
      ],
    );
    expect(parseSearchReply([0])).toEqual([]);
    expect(() => parseSearchReply("OK")).toThrow(TypeError);
  });
});
