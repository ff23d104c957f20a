import { EngramError, type MetadataCondition } from "@engram/core";

const UNSUPPORTED: Record<string, string> = {
  $regex: "Engram has no regular-expression filter",
  $options: "Engram has no regular-expression filter",
  $elemMatch: "Engram cannot match conditions inside array elements",
};

function translate(value: unknown, path: string): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof RegExp)
    throw new EngramError("INVALID_ARGUMENT", `Filter at ${path}: ${UNSUPPORTED.$regex}.`);
  if (Array.isArray(value)) return value.map((each, index) => translate(each, `${path}[${index}]`));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (UNSUPPORTED[key])
      throw new EngramError(
        "INVALID_ARGUMENT",
        `Filter operator ${key} at ${path || "the root"} is not supported: ${UNSUPPORTED[key]}.`,
      );
    if (child !== undefined) out[key] = translate(child, path ? `${path}.${key}` : key);
  }
  return out;
}

/**
 * A Mastra vector filter as an Engram metadata condition. Both speak the MongoDB dialect, so
 * this only turns Dates into ISO strings and refuses what Engram cannot express (`$regex`,
 * `$elemMatch`); Engram validates the rest. An empty filter is no filter.
 */
export function toMetadataCondition(filter: unknown): MetadataCondition | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter !== "object" || Array.isArray(filter))
    throw new EngramError("INVALID_ARGUMENT", "A vector filter must be an object.");
  if (Object.keys(filter).length === 0) return undefined;
  return translate(filter, "") as MetadataCondition;
}
