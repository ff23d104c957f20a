import { z } from "zod";
import type { MemoryContext } from "../memory/context.js";
import { cloneJson } from "../record/json.js";
import { parseInput } from "../record/schemas.js";
import {
  checkNamespaces,
  versionSchema,
  workingAddressFields,
  workingContentSchema,
} from "./schemas.js";
import { toWorkingMemory } from "./to-public.js";
import type { ReplaceWorkingMemoryInput, WorkingMemory } from "./types.js";
import { validateContent } from "./validate-content.js";
import { missingThread, staleVersion, toWorkingMemoryKey } from "./working-memory-key.js";

const replaceSchema = z.strictObject({
  ...workingAddressFields,
  content: workingContentSchema,
  version: versionSchema,
  schema: z.unknown().optional(),
});

/**
 * Replaces a working-memory document. With `version` the write happens only if the stored
 * version is still that one (the check and the write are one atomic step), else `CONFLICT`.
 */
export async function replaceWorkingMemory(
  context: MemoryContext,
  raw: ReplaceWorkingMemoryInput,
): Promise<WorkingMemory> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(replaceSchema, raw, "working memory");
  const content = typeof input.content === "string" ? input.content : cloneJson(input.content);
  await validateContent(input.schema, content);
  await context.ready();
  const written = await context.backend.conversations.writeWorkingMemory(
    toWorkingMemoryKey(input),
    content,
    input.version,
    context.now(),
  );
  if (written.status === "missing-thread") throw missingThread(input.threadId);
  if (written.status === "conflict") throw staleVersion(input.version!, written.version);
  return toWorkingMemory(written.workingMemory);
}
