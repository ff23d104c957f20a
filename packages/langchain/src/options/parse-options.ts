import { EngramError } from "@engram/core";
import type { z } from "zod";

/** Validates options at the boundary; throws `INVALID_ARGUMENT` listing every issue. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  throw new EngramError(
    "INVALID_ARGUMENT",
    `Invalid ${what}: ${issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ")}`,
    { details: { issues } },
  );
}
