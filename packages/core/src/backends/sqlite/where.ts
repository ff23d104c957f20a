import type { Selection } from "../backend.js";

/** The SQL function that checks a metadata condition, registered when a file is opened. */
export const METADATA_CONDITION_FUNCTION = "engram_metadata_matches";

export type SqlValue = string | number | null | Uint8Array;

/** A SQL fragment and its positional parameters. */
export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}

/**
 * The WHERE clause (over alias `m`) for a selection. Pure, so the exact SQL is unit-tested.
 * A subtree is a range scan: `p` and every encoded namespace under it sort in [`p`, `p0`),
 * because `0` is the character right after `/`.
 */
export function whereClause(selection: Selection): SqlFragment {
  const { scope, filter } = selection;
  const parts: string[] = [];
  const params: SqlValue[] = [];

  const scoped = scopeClause(scope);
  parts.push(scoped.sql);
  params.push(...scoped.params);

  parts.push("(m.expires_at IS NULL OR m.expires_at > ?)");
  params.push(selection.now);

  if (filter.kinds) {
    parts.push(`m.kind IN (${filter.kinds.map(() => "?").join(", ")})`);
    params.push(...filter.kinds);
  }
  for (const tag of filter.tags ?? []) {
    parts.push("EXISTS (SELECT 1 FROM json_each(m.tags) WHERE json_each.value = ?)");
    params.push(tag);
  }
  const metadata = metadataClause("m.metadata", filter.metadata);
  parts.push(...metadata.parts);
  params.push(...metadata.params);
  const ranges: [number | undefined, string][] = [
    [filter.createdAfter, "m.created_at > ?"],
    [filter.createdBefore, "m.created_at < ?"],
    [filter.updatedAfter, "m.updated_at > ?"],
    [filter.updatedBefore, "m.updated_at < ?"],
  ];
  for (const [value, sql] of ranges) {
    if (value !== undefined) {
      parts.push(sql);
      params.push(value);
    }
  }
  if (filter.keys) {
    parts.push(`m.mkey IN (${filter.keys.map(() => "?").join(", ")})`);
    params.push(...filter.keys);
  }
  if (filter.where) {
    // A cheap necessary condition first, so the exact check below reads only likely rows.
    for (const [key, value] of Object.entries(filter.where)) {
      if (key.startsWith("$") || key.includes(".")) continue;
      const type =
        typeof value === "string"
          ? "('text')"
          : typeof value === "number"
            ? "('integer', 'real')"
            : typeof value === "boolean"
              ? "('true', 'false')"
              : undefined;
      if (!type) continue;
      // json_each yields a scalar itself or an array's elements (an object's values too, which
      // only lets through more rows for the exact check).
      parts.push(
        `EXISTS (SELECT 1 FROM json_each(m.metadata, ?) AS e WHERE e.type IN ${type} AND e.value = ?)`,
      );
      params.push(
        `$."${key}"`,
        typeof value === "boolean" ? (value ? 1 : 0) : (value as string | number),
      );
    }
    // A function registered on the connection (open-database.ts): one evaluator for all backends.
    parts.push(`${METADATA_CONDITION_FUNCTION}(m.metadata, ?) = 1`);
    params.push(JSON.stringify(filter.where));
  }
  if (filter.pinned !== undefined) {
    parts.push("m.pinned = ?");
    params.push(filter.pinned ? 1 : 0);
  }
  return { sql: parts.join(" AND "), params };
}

/**
 * Conditions that a JSON metadata column has these top-level values, type-strict (1 is not
 * "1", and null matches only a stored null).
 */
export function metadataClause(
  column: string,
  metadata: Readonly<Record<string, string | number | boolean | null>> | undefined,
): { parts: string[]; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [key, value] of Object.entries(metadata ?? {})) {
    // Keys are validated to [A-Za-z0-9_.:@-], so quoting them in the JSON path is safe.
    const path = `$."${key}"`;
    if (value === null) {
      parts.push(`json_type(${column}, ?) = 'null'`);
      params.push(path);
    } else if (typeof value === "boolean") {
      parts.push(`json_type(${column}, ?) = ?`);
      params.push(path, value ? "true" : "false");
    } else if (typeof value === "number") {
      parts.push(
        `json_type(${column}, ?) IN ('integer', 'real') AND json_extract(${column}, ?) = ?`,
      );
      params.push(path, path, value);
    } else {
      parts.push(`json_type(${column}, ?) = 'text' AND json_extract(${column}, ?) = ?`);
      params.push(path, path, value);
    }
  }
  return { parts, params };
}

/** The part of a WHERE clause (over alias `m`) that keeps rows whose namespace is in scope. */
export function scopeClause(scope: Selection["scope"], column = "m.namespace"): SqlFragment {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (scope.exact.length > 0) {
    parts.push(`${column} IN (${scope.exact.map(() => "?").join(", ")})`);
    params.push(...scope.exact);
  }
  for (const prefix of scope.prefixes) {
    // One index range, [p, p0), holds p and its subtree but also siblings such as `p-x`;
    // the character after the prefix tells them apart.
    parts.push(
      `(${column} >= ? AND ${column} < ? AND (${column} = ? OR substr(${column}, ?, 1) = '/'))`,
    );
    params.push(prefix, `${prefix}0`, prefix, prefix.length + 1);
  }
  return { sql: `(${parts.join(" OR ")})`, params };
}

/** An FTS5 query that matches any of the terms, each quoted so no term is read as syntax. */
export function matchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(" OR ");
}
