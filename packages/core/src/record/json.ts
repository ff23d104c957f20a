import type { JsonObject } from "./memory-record.js";

/** Nesting deeper than this is refused, so a hostile payload cannot blow the stack. */
export const MAX_JSON_DEPTH = 16;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Why `value` is not a plain JSON value, or `undefined` when it is. */
export function jsonProblem(
  value: unknown,
  depth = 0,
  seen = new Set<object>(),
): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number")
    return Number.isFinite(value) ? undefined : "numbers must be finite";
  if (typeof value !== "object") return `a ${typeof value} is not JSON`;
  if (depth >= MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (seen.has(value)) return "contains a cycle";
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (const item of value) {
        const problem = jsonProblem(item, depth + 1, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    if (!isPlainObject(value))
      return `a ${value.constructor?.name ?? "class instance"} is not JSON`;
    for (const item of Object.values(value)) {
      const problem = jsonProblem(item, depth + 1, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/** A deep copy, so later changes to the caller's object never reach a stored memory. */
export function cloneJson<T extends JsonObject>(value: T): T {
  return structuredClone(value);
}
