import { EngramError } from "@engram/core";
import { ThreadMetadataFilterSchema } from "../../conversation-schemas.js";

/** Parses the `metadata` query parameter of a thread list: a JSON object of scalar values. */
export function parseMetadataFilter(
  raw: string | undefined,
): Record<string, string | number | boolean | null> | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const parsed = ThreadMetadataFilterSchema.safeParse(value);
  if (!parsed.success) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      'Invalid request at metadata: a JSON object of scalar values, e.g. {"channel":"web"}.',
      { details: { issues: [{ path: ["metadata"], message: "a JSON object of scalar values" }] } },
    );
  }
  return parsed.data;
}
