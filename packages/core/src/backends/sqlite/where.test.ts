import { describe, expect, it } from "vitest";
import { matchExpression, whereClause } from "./where.js";

describe("whereClause", () => {
  it("turns a subtree into a range scan and honours expiry", () => {
    expect(whereClause({ scope: { exact: ["a/b"], prefixes: ["c"] }, filter: {}, now: 5 })).toEqual(
      {
        sql: "(m.namespace IN (?) OR (m.namespace >= ? AND m.namespace < ? AND (m.namespace = ? OR substr(m.namespace, ?, 1) = '/'))) AND (m.expires_at IS NULL OR m.expires_at > ?)",
        params: ["a/b", "c", "c0", "c", 2, 5],
      },
    );
  });

  it("checks keys and a metadata condition, with a cheap prefilter for top-level equalities", () => {
    const where = { resource_id: "r1", n: 2, ok: false, "a.b": "x", price: { $gt: 1 } };
    const { sql, params } = whereClause({
      scope: { exact: ["a"], prefixes: [] },
      filter: { keys: ["k1"], where },
      now: 0,
    });
    const each = (types: string) =>
      `EXISTS (SELECT 1 FROM json_each(m.metadata, ?) AS e WHERE e.type IN ${types} AND e.value = ?)`;
    expect(sql).toBe(
      [
        "(m.namespace IN (?))",
        "(m.expires_at IS NULL OR m.expires_at > ?)",
        "m.mkey IN (?)",
        each("('text')"),
        each("('integer', 'real')"),
        each("('true', 'false')"),
        "engram_metadata_matches(m.metadata, ?) = 1",
      ].join(" AND "),
    );
    expect(params).toEqual([
      "a",
      0,
      "k1",
      '$."resource_id"',
      "r1",
      '$."n"',
      2,
      '$."ok"',
      0,
      JSON.stringify(where),
    ]);
  });

  it("binds every filter value as a parameter", () => {
    const { sql, params } = whereClause({
      scope: { exact: ["a"], prefixes: [] },
      filter: {
        kinds: ["fact", "x') OR 1=1 --"],
        tags: ["t1"],
        metadata: { source: "chat", n: 2, ok: true, gone: null },
        createdAfter: 1,
        updatedBefore: 9,
        pinned: true,
      },
      now: 0,
    });
    expect(sql).not.toContain("OR 1=1");
    expect(sql).toBe(
      [
        "(m.namespace IN (?))",
        "(m.expires_at IS NULL OR m.expires_at > ?)",
        "m.kind IN (?, ?)",
        "EXISTS (SELECT 1 FROM json_each(m.tags) WHERE json_each.value = ?)",
        "json_type(m.metadata, ?) = 'text' AND json_extract(m.metadata, ?) = ?",
        "json_type(m.metadata, ?) IN ('integer', 'real') AND json_extract(m.metadata, ?) = ?",
        "json_type(m.metadata, ?) = ?",
        "json_type(m.metadata, ?) = 'null'",
        "m.created_at > ?",
        "m.updated_at < ?",
        "m.pinned = ?",
      ].join(" AND "),
    );
    expect(params).toEqual([
      "a",
      0,
      "fact",
      "x') OR 1=1 --",
      "t1",
      '$."source"',
      '$."source"',
      "chat",
      '$."n"',
      '$."n"',
      2,
      '$."ok"',
      "true",
      '$."gone"',
      1,
      9,
      1,
    ]);
  });
});

describe("matchExpression", () => {
  it("quotes every term so FTS5 syntax in user text stays literal", () => {
    expect(matchExpression(["postgres", 'say"NEAR', "OR"])).toBe(
      '"postgres" OR "say""NEAR" OR "OR"',
    );
  });
});
