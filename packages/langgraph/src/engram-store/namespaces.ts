import type { MatchCondition } from "@langchain/langgraph-checkpoint";

/** True when a namespace satisfies every prefix or suffix condition (`"*"` matches any one segment). */
export function matchesConditions(
  namespace: readonly string[],
  conditions: readonly MatchCondition[],
): boolean {
  return conditions.every(({ matchType, path }) => {
    if (path.length > namespace.length) return false;
    const start = matchType === "prefix" ? 0 : namespace.length - path.length;
    return path.every((segment, index) => segment === "*" || namespace[start + index] === segment);
  });
}

/** Namespaces in LangGraph's listing order: segment by segment, shorter first on a tie. */
export function sortNamespaces(namespaces: string[][]): string[][] {
  return namespaces.sort((a, b) => {
    for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
      if (a[index] !== b[index]) return a[index]! < b[index]! ? -1 : 1;
    }
    return a.length - b.length;
  });
}
