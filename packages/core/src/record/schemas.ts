import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import { metadataConditionSchema } from "../retrieval/metadata-condition.js";
import { jsonProblem, MAX_JSON_DEPTH } from "./json.js";
import type { JsonObject } from "./memory-record.js";

/** Largest metadata object, serialised. */
export const MAX_METADATA_BYTES = 64 * 1024;
/** Most tags on one memory. */
export const MAX_TAGS = 64;

const namespaceShape = z.array(z.string());
const scopeShape = z.union([namespaceShape, z.array(namespaceShape)]);

export const kindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "a kind is a lowercase identifier such as fact or tool-result");

export const tagSchema = z
  .string()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N}_\-.:/]{0,63}$/u,
    "a tag is 1-64 letters, digits or _ - . : / and starts with a letter or digit",
  );

export const keySchema = z.string().min(1).max(256);

export const importanceSchema = z.number().min(0).max(1);

/** The largest epoch millisecond a `Date` can hold (ECMAScript's ±100,000,000 days). */
export const MAX_INSTANT_MS = 8.64e15;

/**
 * A date as a Date, epoch milliseconds or an ISO-8601 string; becomes epoch milliseconds.
 * Anything a `Date` cannot hold is refused here: past this point every store writes it as is.
 */
export const instantSchema = z.union([z.date(), z.number(), z.string()]).transform((value, ctx) => {
  const millis =
    value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(millis) || Math.abs(millis) > MAX_INSTANT_MS) {
    ctx.addIssue({ code: "custom", message: "not a valid date (outside what a Date can hold)" });
    return z.NEVER;
  }
  return Math.trunc(millis);
});

/** A lifetime in milliseconds: whole, positive, and short enough to end inside the Date range. */
export const ttlSchema = z
  .number()
  .int()
  .positive()
  .max(MAX_INSTANT_MS / 2);

export const metadataSchema = z.custom<JsonObject>().superRefine((value, ctx) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "metadata must be a JSON object" });
    return;
  }
  const problem = jsonProblem(value);
  if (problem) {
    ctx.addIssue({ code: "custom", message: `metadata is not JSON: ${problem}` });
    return;
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_METADATA_BYTES) {
    ctx.addIssue({
      code: "custom",
      message: `metadata is larger than ${MAX_METADATA_BYTES} bytes`,
    });
  }
});

export const metadataKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_\-.:@]{1,128}$/, "a metadata filter key is 1-128 of A-Z a-z 0-9 _ - . : @");

export const filterFields = {
  kinds: z.array(kindSchema).min(1).max(32).optional(),
  tags: z.array(tagSchema).min(1).max(MAX_TAGS).optional(),
  metadata: z
    .record(
      metadataKeySchema,
      z.union([z.string(), z.number().refine(Number.isFinite), z.boolean(), z.null()]),
    )
    .optional(),
  createdAfter: instantSchema.optional(),
  createdBefore: instantSchema.optional(),
  updatedAfter: instantSchema.optional(),
  updatedBefore: instantSchema.optional(),
  pinned: z.boolean().optional(),
  keys: z.array(keySchema).min(1).max(1000).optional(),
  where: metadataConditionSchema.optional(),
};

export const scopeFields = {
  namespace: scopeShape.optional(),
  within: scopeShape.optional(),
};

export const rememberInputSchema = z.strictObject({
  namespace: namespaceShape,
  content: z.string().refine((text) => text.trim().length > 0, "content is empty"),
  kind: kindSchema.default("fact"),
  key: keySchema.optional(),
  metadata: metadataSchema.default({}),
  tags: z.array(tagSchema).max(MAX_TAGS).default([]),
  importance: importanceSchema.default(0.5),
  pinned: z.boolean().default(false),
  expiresAt: instantSchema.optional(),
  ttlMs: ttlSchema.optional(),
  createdAt: instantSchema.optional(),
  vector: z
    .array(z.number().refine(Number.isFinite, "not a finite number"))
    .min(1)
    .max(65536)
    .optional(),
});

export const updatePatchSchema = z.strictObject({
  content: z
    .string()
    .refine((text) => text.trim().length > 0, "content is empty")
    .optional(),
  kind: kindSchema.optional(),
  key: keySchema.nullable().optional(),
  metadata: metadataSchema.optional(),
  tags: z.array(tagSchema).max(MAX_TAGS).optional(),
  importance: importanceSchema.optional(),
  pinned: z.boolean().optional(),
  expiresAt: instantSchema.nullable().optional(),
});

export const filterSchema = z.strictObject({ ...scopeFields, ...filterFields });

export const recallOptionsSchema = z
  .strictObject({
    ...scopeFields,
    ...filterFields,
    query: z
      .string()
      .refine((text) => text.trim().length > 0, "query is empty")
      .optional(),
    vector: z
      .array(z.number().refine(Number.isFinite, "not a finite number"))
      .min(1)
      .max(65536)
      .optional(),
    limit: z.number().int().min(1).max(100).default(10),
    offset: z.number().int().min(0).max(900).default(0),
    minScore: z.number().min(0).max(1).default(0),
    mode: z.enum(["semantic", "keyword", "hybrid"]).default("hybrid"),
    explain: z.boolean().default(false),
    recency: z.boolean().default(true),
    neighbours: z.boolean().default(true),
    time: z.boolean().default(true),
    ranking: z.boolean().default(true),
    recordAccess: z.boolean().default(true),
  })
  .refine((options) => options.query !== undefined || options.vector !== undefined, {
    message: "give a query or a vector",
    path: ["query"],
  });

export const listOptionsSchema = z.strictObject({
  ...scopeFields,
  ...filterFields,
  limit: z.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
});

export const idSchema = z.string().min(1).max(64);

/** Parses `input` or throws `INVALID_ARGUMENT` listing every field problem. */
export function parseInput<S extends z.ZodType>(
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
    {
      details: { issues },
    },
  );
}

export { MAX_JSON_DEPTH };
