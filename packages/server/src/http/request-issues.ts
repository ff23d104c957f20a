import type { z } from "@hono/zod-openapi";

/** One thing wrong with a request: where (field path) and what, limits included. */
export interface RequestIssue {
  path: string[];
  message: string;
}

type Issue = z.core.$ZodIssue;

/**
 * The issues of a refused request, each naming its field and limit. Zod reports a union that
 * no option matched as one "Invalid input" at the union itself; the option the request came
 * closest to (the deepest issue, then the fewest) is the one the caller meant, so its issues
 * are reported instead.
 */
export function requestIssues(issues: readonly Issue[]): RequestIssue[] {
  const flat = flatten(issues, []);
  const described = flat.flatMap((issue) => describe(issue, flat));
  // An unknown field usually explains the rest (a typo), so it comes first.
  return [
    ...described.filter((issue) => issue.unknown),
    ...described.filter((issue) => !issue.unknown),
  ].map(({ path, message }) => ({ path, message }));
}

interface Located {
  issue: Issue;
  path: PropertyKey[];
}

function flatten(issues: readonly Issue[], base: PropertyKey[]): Located[] {
  return issues.flatMap((issue): Located[] => {
    const path = [...base, ...issue.path];
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [{ issue, path }];
    const options = issue.errors.map((option) => flatten(option, path));
    const closest = options.reduce((best, option) =>
      depth(option) > depth(best) || (depth(option) === depth(best) && option.length < best.length)
        ? option
        : best,
    );
    return closest;
  });
}

function depth(option: readonly Located[]): number {
  return Math.max(0, ...option.map((located) => located.path.length));
}

const NAMESPACE_FIELDS = new Set(["namespace", "within", "into", "to"]);

function describe(
  { issue, path }: Located,
  all: readonly Located[],
): (RequestIssue & { unknown?: true })[] {
  const at = path.map(String);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const meant = missingSibling(all, path, key);
        return {
          path: [...at, key],
          message: `unknown field "${key}"${meant ? `; did you mean "${meant}"?` : ""}`,
          unknown: true as const,
        };
      });
    case "too_big":
      return [{ path: at, message: limit("at most", issue.origin, issue.maximum) }];
    case "too_small":
      return [{ path: at, message: limit("at least", issue.origin, issue.minimum) }];
    case "invalid_type": {
      const field = at.at(-1);
      if (issue.expected === "array" && field !== undefined && NAMESPACE_FIELDS.has(field))
        return [
          {
            path: at,
            message: `a namespace is an array of segments, e.g. ["users", "alice"] (${issue.message.replace(/^Invalid input: /, "")})`,
          },
        ];
      return [{ path: at, message: issue.message.replace(/^Invalid input: /, "") }];
    }
    default:
      return [{ path: at, message: issue.message }];
  }
}

function limit(bound: string, origin: string, value: number | bigint): string {
  const unit =
    origin === "array"
      ? " items"
      : origin === "string"
        ? " characters"
        : origin === "set" || origin === "map"
          ? " entries"
          : "";
  return `${bound} ${value}${unit}`;
}

/** A required field missing next to an unknown one whose name is one or two edits away. */
function missingSibling(
  all: readonly Located[],
  parent: PropertyKey[],
  key: string,
): string | undefined {
  for (const { issue, path } of all) {
    if (issue.code !== "invalid_type" || path.length !== parent.length + 1) continue;
    if (!parent.every((segment, index) => path[index] === segment)) continue;
    const name = String(path.at(-1));
    if (editDistance(name, key) <= 2) return name;
  }
  return undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
