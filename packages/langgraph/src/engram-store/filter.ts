import { EngramError } from "@engram/core";

/** The comparison operators a LangGraph store filter may use. */
const OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"]);

// Core's metadata filter accepts these keys; anything else is matched in the adapter only.
const PUSHABLE_KEY = /^[A-Za-z0-9_\-.:@]{1,128}$/;

type Primitive = string | number | boolean;

function isOperatorObject(condition: unknown): condition is Record<string, unknown> {
  return (
    typeof condition === "object" &&
    condition !== null &&
    !Array.isArray(condition) &&
    Object.keys(condition).length > 0 &&
    Object.keys(condition).every((key) => key.startsWith("$"))
  );
}

// null stays out: whether a missing field matches null is the adapter's call, not core's.
function isPrimitive(value: unknown): value is Primitive {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/**
 * Checks a store filter; throws `INVALID_ARGUMENT` for an unknown operator or an `$in`/`$nin`
 * that is not an array, so a typo never silently matches everything or nothing.
 */
export function validateFilter(filter: Record<string, unknown> | undefined): void {
  if (filter === undefined) return;
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw new EngramError("INVALID_ARGUMENT", "A store filter is an object of field conditions.", {
      details: { issues: [{ path: ["filter"], message: "not an object" }] },
    });
  }
  for (const [field, condition] of Object.entries(filter)) {
    if (!isOperatorObject(condition)) continue;
    for (const [operator, operand] of Object.entries(condition)) {
      if (!OPERATORS.has(operator)) {
        throw new EngramError(
          "INVALID_ARGUMENT",
          `Unknown filter operator ${operator} on "${field}"; use one of ${[...OPERATORS].join(" ")}.`,
          { details: { issues: [{ path: ["filter", field, operator], message: "unknown" }] } },
        );
      }
      if ((operator === "$in" || operator === "$nin") && !Array.isArray(operand)) {
        throw new EngramError("INVALID_ARGUMENT", `${operator} on "${field}" takes an array.`, {
          details: { issues: [{ path: ["filter", field, operator], message: "not an array" }] },
        });
      }
    }
  }
}

/** Deep equality for JSON values, so `{ tags: ["a"] }` matches an equal array. */
function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) {
    return false;
  }
  return JSON.stringify(left) === JSON.stringify(right);
}

function compare(value: unknown, operator: string, operand: unknown): boolean {
  switch (operator) {
    case "$eq":
      return jsonEqual(value, operand);
    case "$ne":
      return !jsonEqual(value, operand);
    case "$gt":
      return value !== undefined && value !== null && (value as number) > (operand as number);
    case "$gte":
      return value !== undefined && value !== null && (value as number) >= (operand as number);
    case "$lt":
      return value !== undefined && value !== null && (value as number) < (operand as number);
    case "$lte":
      return value !== undefined && value !== null && (value as number) <= (operand as number);
    case "$in":
      return (operand as unknown[]).some((candidate) => jsonEqual(value, candidate));
    case "$nin":
      return !(operand as unknown[]).some((candidate) => jsonEqual(value, candidate));
    default:
      return false;
  }
}

/** True when an item's value satisfies every condition of a (validated) filter. */
export function matchesFilter(
  value: Record<string, unknown>,
  filter: Record<string, unknown> | undefined,
): boolean {
  if (filter === undefined) return true;
  return Object.entries(filter).every(([field, condition]) =>
    isOperatorObject(condition)
      ? Object.entries(condition).every(([operator, operand]) =>
          compare(value[field], operator, operand),
        )
      : jsonEqual(value[field], condition),
  );
}

/**
 * The part of a filter core can apply itself: exact primitive values on top-level fields,
 * which are the memory's metadata fields. It only narrows; `matchesFilter` still decides.
 */
export function pushableFilter(
  filter: Record<string, unknown> | undefined,
  skip: ReadonlySet<string>,
): Record<string, Primitive> | undefined {
  const pushed: Record<string, Primitive> = {};
  for (const [field, condition] of Object.entries(filter ?? {})) {
    if (skip.has(field) || !PUSHABLE_KEY.test(field)) continue;
    const exact = isOperatorObject(condition)
      ? Object.keys(condition).length === 1 && "$eq" in condition
        ? condition.$eq
        : undefined
      : condition;
    if (exact !== undefined && isPrimitive(exact)) pushed[field] = exact;
  }
  return Object.keys(pushed).length > 0 ? pushed : undefined;
}
