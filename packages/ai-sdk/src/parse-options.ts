import { EngramError } from "@engram/core";
import type { z } from "zod";

/** Parses options with zod; a bad option throws `INVALID_ARGUMENT` naming each field. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
  throw new EngramError(
    "INVALID_ARGUMENT",
    `Invalid ${what}${where}: ${first?.message ?? "rejected"}.`,
    { details: { issues } },
  );
}
