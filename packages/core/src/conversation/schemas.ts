import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import { validateNamespace } from "../namespace/namespace.js";
import { jsonProblem } from "../record/json.js";
import type { JsonObject } from "../record/memory-record.js";
import { instantSchema, metadataKeySchema, metadataSchema } from "../record/schemas.js";
import type { MessagePart } from "./types.js";

/** Largest message (content and metadata, serialised). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Most messages in one append. */
export const MAX_APPEND = 1000;
/** Largest working-memory document, serialised. */
export const MAX_WORKING_MEMORY_BYTES = 256 * 1024;

/**
 * A thread or message id: 1-256 characters, none of them control characters (ids appear in
 * keys and in newline-separated index entries).
 */
export const conversationIdSchema = z
  .string()
  .min(1)
  .max(256)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
  .regex(/^[^\u0000-\u001f\u007f]+$/, "an id may not hold control characters");

export const roleSchema = z.enum(["user", "assistant", "system", "tool"]);

/** A createdAt: an instant from 1970 to the end of JavaScript dates, as epoch milliseconds. */
export const createdAtSchema = instantSchema.refine(
  (millis) => Number.isInteger(millis) && millis >= 0 && millis <= 8.64e15,
  "a createdAt is a whole number of milliseconds from 1970 on",
);

const partSchema = z.custom<MessagePart>().superRefine((value, ctx) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "a message part is an object with a type" });
    return;
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || type.length === 0 || type.length > 64) {
    ctx.addIssue({ code: "custom", message: "a message part needs a type of 1-64 characters" });
    return;
  }
  const problem = jsonProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `a message part is not JSON: ${problem}` });
});

export const contentSchema = z.union([z.string(), z.array(partSchema).max(1000)]);

export const messageInputSchema = z
  .strictObject({
    id: conversationIdSchema.optional(),
    role: roleSchema,
    content: contentSchema,
    metadata: metadataSchema.default({}),
    createdAt: createdAtSchema.optional(),
  })
  .superRefine((message, ctx) => {
    const size = Buffer.byteLength(JSON.stringify([message.content, message.metadata]));
    if (size > MAX_MESSAGE_BYTES)
      ctx.addIssue({
        code: "custom",
        path: ["content"],
        message: `a message is larger than ${MAX_MESSAGE_BYTES} bytes`,
      });
  });

export const titleSchema = z.string().max(1000);

export const metadataFilterSchema = z
  .record(
    metadataKeySchema,
    z.union([z.string(), z.number().refine(Number.isFinite), z.boolean(), z.null()]),
  )
  .optional();

export const workingContentSchema = z
  .union([z.string(), metadataSchemaOfSize(MAX_WORKING_MEMORY_BYTES)])
  .refine(
    (content) =>
      typeof content !== "string" || Buffer.byteLength(content) <= MAX_WORKING_MEMORY_BYTES,
    `working memory is larger than ${MAX_WORKING_MEMORY_BYTES} bytes`,
  );

/** A JSON object of at most `bytes` serialised (metadata's rules, another size). */
function metadataSchemaOfSize(bytes: number) {
  return z.custom<JsonObject>().superRefine((value, ctx) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: "expected a JSON object or a string" });
      return;
    }
    const problem = jsonProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `not JSON: ${problem}` });
    else if (Buffer.byteLength(JSON.stringify(value)) > bytes)
      ctx.addIssue({ code: "custom", message: `larger than ${bytes} bytes` });
  });
}

/**
 * Validates the namespace fields of an input first (`INVALID_NAMESPACE`), as memories do, so a
 * bad namespace is reported as such rather than as a generic argument error.
 */
export function checkNamespaces(input: unknown, ...fields: string[]): void {
  if (typeof input !== "object" || input === null) {
    throw new EngramError("INVALID_ARGUMENT", "Expected an object.", {
      details: { issues: [{ path: [], message: "expected an object" }] },
    });
  }
  for (const field of fields) {
    const value = (input as Record<string, unknown>)[field];
    if (value !== undefined) validateNamespace(value);
  }
}

/** The fields of a thread address; the namespace itself is checked by `checkNamespaces`. */
export const addressFields = {
  namespace: z.array(z.string()),
  threadId: conversationIdSchema,
};

/** A working-memory address: a namespace, and a thread when per-thread. */
export const workingAddressFields = {
  namespace: z.array(z.string()),
  threadId: conversationIdSchema.optional(),
};

/** A version to check a write against: 0 means "must not exist yet". */
export const versionSchema = z.number().int().min(0).optional();
