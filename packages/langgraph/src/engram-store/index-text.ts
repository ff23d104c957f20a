/**
 * The texts LangGraph embeds for one path of a value, with the same path syntax as its own
 * stores: `"$"` (the whole value), `"a.b"`, `"list[0]"`, `"list[-1]"`, `"list[*].text"`,
 * `"*"` (every field). Strings, numbers and booleans become text; objects and arrays become
 * their JSON.
 */
export function textsAtPath(value: unknown, path: string): string[] {
  if (path === "$") return [JSON.stringify(value, null, 2)];
  return collect(value, tokenize(path), 0);
}

function tokenize(path: string): string[] {
  const tokens: string[] = [];
  for (const part of path.split(".")) {
    const [head, ...indexes] = part.split("[");
    if (head) tokens.push(head);
    for (const index of indexes) tokens.push(`[${index}`);
  }
  return tokens;
}

function leaf(value: unknown): string[] {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return [String(value)];
  }
  if (value === null || value === undefined) return [];
  return [JSON.stringify(value, null, 2)];
}

function collect(value: unknown, tokens: readonly string[], position: number): string[] {
  if (position >= tokens.length) return leaf(value);
  const token = tokens[position]!;
  if (token.startsWith("[") && token.endsWith("]")) {
    if (!Array.isArray(value)) return [];
    const index = token.slice(1, -1);
    if (index === "*") return value.flatMap((item) => collect(item, tokens, position + 1));
    let at = Number.parseInt(index, 10);
    if (Number.isNaN(at)) return [];
    if (at < 0) at += value.length;
    return at >= 0 && at < value.length ? collect(value[at], tokens, position + 1) : [];
  }
  if (typeof value !== "object" || value === null) return [];
  if (token === "*") {
    return Object.values(value).flatMap((item) => collect(item, tokens, position + 1));
  }
  return token in value
    ? collect((value as Record<string, unknown>)[token], tokens, position + 1)
    : [];
}

/** The text Engram embeds for an item: every field's texts, one paragraph each. */
export function indexText(value: unknown, fields: readonly string[]): string {
  return fields
    .flatMap((field) => textsAtPath(value, field))
    .filter((text) => text.trim().length > 0)
    .join("\n\n");
}
