import { z } from "zod";

/** A value a condition compares with: a JSON scalar. */
export type ConditionValue = string | number | boolean | null;

/** Comparisons on one metadata field. Several in one object must all hold. */
export interface FieldOperators {
  $eq?: ConditionValue;
  $ne?: ConditionValue;
  $gt?: string | number;
  $gte?: string | number;
  $lt?: string | number;
  $lte?: string | number;
  $in?: ConditionValue[];
  $nin?: ConditionValue[];
  $all?: ConditionValue[];
  $exists?: boolean;
  $not?: FieldOperators;
}

/**
 * A condition on a memory's metadata, in the MongoDB style vector stores share:
 * `{ field: value }` (equality), `{ field: { $gte: 3 } }`, and `$and`/`$or`/`$nor` lists or a
 * `$not` at any level. A field name may be a dotted path into nested objects. A field holding an
 * array matches `$eq`/`$in` when one element does, and `$all` when it holds every value.
 */
export type MetadataCondition = {
  $and?: MetadataCondition[];
  $or?: MetadataCondition[];
  $nor?: MetadataCondition[];
  $not?: MetadataCondition;
} & { [field: string]: ConditionValue | FieldOperators | MetadataCondition | MetadataCondition[] };

const MAX_DEPTH = 8;
const MAX_LIST = 1000;

const scalar = z.union([z.string(), z.number().refine(Number.isFinite), z.boolean(), z.null()]);
const ordered = z.union([z.string(), z.number().refine(Number.isFinite)]);
const fieldName = z
  .string()
  .regex(/^[A-Za-z0-9_\-:@]{1,128}(\.[A-Za-z0-9_\-:@]{1,128}){0,7}$/, "not a metadata field path");

const fieldOperators: z.ZodType<FieldOperators> = z.lazy(() =>
  z
    .strictObject({
      $eq: scalar.optional(),
      $ne: scalar.optional(),
      $gt: ordered.optional(),
      $gte: ordered.optional(),
      $lt: ordered.optional(),
      $lte: ordered.optional(),
      $in: z.array(scalar).max(MAX_LIST).optional(),
      $nin: z.array(scalar).max(MAX_LIST).optional(),
      $all: z.array(scalar).min(1).max(MAX_LIST).optional(),
      $exists: z.boolean().optional(),
      $not: fieldOperators.optional(),
    })
    .refine((value) => Object.keys(value).length > 0, "an operator object needs an operator"),
);

function depth(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child));
  return deepest + 1;
}

/** Validates a metadata condition: known operators only, scalar operands, bounded nesting. */
export const metadataConditionSchema: z.ZodType<MetadataCondition> = z.lazy(
  () =>
    z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
      if (depth(value) > MAX_DEPTH * 2) {
        ctx.addIssue({ code: "custom", message: `nested deeper than ${MAX_DEPTH} levels` });
        return;
      }
      for (const [key, operand] of Object.entries(value)) {
        const result =
          key === "$and" || key === "$or" || key === "$nor"
            ? z.array(metadataConditionSchema).min(1).max(MAX_LIST).safeParse(operand)
            : key === "$not"
              ? metadataConditionSchema.safeParse(operand)
              : key.startsWith("$")
                ? { success: false as const, error: undefined }
                : fieldName.safeParse(key).success
                  ? z.union([scalar, fieldOperators]).safeParse(operand)
                  : { success: false as const, error: undefined };
        if (!result.success) {
          const detail = result.error?.issues[0]?.message;
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: key.startsWith("$")
              ? ["$and", "$or", "$nor", "$not"].includes(key)
                ? `${key} holds an invalid condition${detail ? `: ${detail}` : ""}`
                : `unsupported operator ${key}`
              : fieldName.safeParse(key).success
                ? `invalid condition on ${key}${detail ? `: ${detail}` : ""}`
                : `invalid field path ${key}`,
          });
        }
      }
    }) as unknown as z.ZodType<MetadataCondition>,
);

function lookup(metadata: unknown, path: string): { found: boolean; value: unknown } {
  let current = metadata;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current))
      return { found: false, value: undefined };
    if (!Object.hasOwn(current, part)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

/** Type-strict equality of a stored value with an operand; an array holds it if an element does. */
function holds(value: unknown, operand: ConditionValue): boolean {
  if (Array.isArray(value)) return value.some((element) => element === operand);
  return value === operand;
}

function compare(value: unknown, operand: string | number): number | undefined {
  if (typeof value !== typeof operand) return undefined;
  if (typeof value === "number") return value - (operand as number);
  if (typeof value === "string") return value < operand ? -1 : value > operand ? 1 : 0;
  return undefined;
}

function matchesField(found: boolean, value: unknown, operators: FieldOperators): boolean {
  for (const [operator, operand] of Object.entries(operators)) {
    if (operand === undefined) continue;
    let ok: boolean;
    switch (operator) {
      case "$eq":
        ok = found && holds(value, operand as ConditionValue);
        break;
      case "$ne":
        ok = !(found && holds(value, operand as ConditionValue));
        break;
      case "$gt":
      case "$gte":
      case "$lt":
      case "$lte": {
        const order = found ? compare(value, operand as string | number) : undefined;
        ok =
          order !== undefined &&
          (operator === "$gt"
            ? order > 0
            : operator === "$gte"
              ? order >= 0
              : operator === "$lt"
                ? order < 0
                : order <= 0);
        break;
      }
      case "$in":
        ok = found && (operand as ConditionValue[]).some((each) => holds(value, each));
        break;
      case "$nin":
        ok = !(found && (operand as ConditionValue[]).some((each) => holds(value, each)));
        break;
      case "$all":
        ok =
          found &&
          Array.isArray(value) &&
          (operand as ConditionValue[]).every((each) => value.includes(each));
        break;
      case "$exists":
        ok = found === operand;
        break;
      case "$not":
        ok = !matchesField(found, value, operand as FieldOperators);
        break;
      default:
        ok = false;
    }
    if (!ok) return false;
  }
  return true;
}

/** True when metadata satisfies a (validated) condition. */
export function matchesMetadataCondition(metadata: unknown, condition: MetadataCondition): boolean {
  for (const [key, operand] of Object.entries(condition)) {
    if (operand === undefined) continue;
    if (key === "$and") {
      if (
        !(operand as MetadataCondition[]).every((each) => matchesMetadataCondition(metadata, each))
      )
        return false;
    } else if (key === "$or") {
      if (
        !(operand as MetadataCondition[]).some((each) => matchesMetadataCondition(metadata, each))
      )
        return false;
    } else if (key === "$nor") {
      if ((operand as MetadataCondition[]).some((each) => matchesMetadataCondition(metadata, each)))
        return false;
    } else if (key === "$not") {
      if (matchesMetadataCondition(metadata, operand as MetadataCondition)) return false;
    } else {
      const { found, value } = lookup(metadata, key);
      const operators =
        typeof operand === "object" && operand !== null && !Array.isArray(operand)
          ? (operand as FieldOperators)
          : { $eq: operand as ConditionValue };
      if (!matchesField(found, value, operators)) return false;
    }
  }
  return true;
}
