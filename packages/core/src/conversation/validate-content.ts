import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import type { JsonObject } from "../record/memory-record.js";

interface Issue {
  path: string[];
  message: string;
}

interface StandardSchema {
  "~standard": {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
}
type StandardResult = {
  issues?: readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }[];
};

const fromJsonSchema = new WeakMap<object, z.ZodType>();

function isStandardSchema(value: unknown): value is StandardSchema {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as StandardSchema)["~standard"]?.validate === "function"
  );
}

/** A JSON Schema object as a zod schema, converted once per schema object. */
function jsonSchemaValidator(schema: object): z.ZodType {
  let validator = fromJsonSchema.get(schema);
  if (!validator) {
    try {
      validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch (cause) {
      throw new EngramError(
        "INVALID_ARGUMENT",
        `The JSON Schema is not usable: ${(cause as Error).message}`,
        {
          cause,
          details: { issues: [{ path: ["schema"], message: "not a usable JSON Schema" }] },
        },
      );
    }
    fromJsonSchema.set(schema, validator);
  }
  return validator;
}

/**
 * Checks working-memory content against the caller's schema: a zod schema (or any Standard
 * Schema: valibot, arktype) or a JSON Schema object. Throws `INVALID_ARGUMENT` listing each
 * problem; the content is stored as given, never as the schema transforms it.
 */
export async function validateContent(
  schema: unknown,
  content: JsonObject | string,
): Promise<void> {
  if (schema === undefined) return;
  let issues: Issue[];
  if (isStandardSchema(schema)) {
    const result = await schema["~standard"].validate(content);
    issues = (result.issues ?? []).map((issue) => ({
      path: (issue.path ?? []).map((segment) =>
        String(typeof segment === "object" && segment !== null ? segment.key : segment),
      ),
      message: issue.message,
    }));
  } else if (typeof schema === "object" && schema !== null && !Array.isArray(schema)) {
    const result = jsonSchemaValidator(schema).safeParse(content);
    issues = result.success
      ? []
      : result.error.issues.map((issue) => ({
          path: issue.path.map(String),
          message: issue.message,
        }));
  } else {
    throw new EngramError("INVALID_ARGUMENT", "schema is a zod schema or a JSON Schema object.", {
      details: { issues: [{ path: ["schema"], message: "not a schema" }] },
    });
  }
  if (issues.length === 0) return;
  const first = issues[0]!;
  const where = first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
  throw new EngramError(
    "INVALID_ARGUMENT",
    `The working memory does not match its schema${where}: ${first.message}.`,
    {
      details: { issues: issues.map((issue) => ({ ...issue, path: ["content", ...issue.path] })) },
    },
  );
}
