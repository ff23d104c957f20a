import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import type { JsonObject } from "../record/memory-record.js";
import { metadataSchema, parseInput } from "../record/schemas.js";
import { mergePatch } from "./merge-patch.js";
import {
  checkNamespaces,
  versionSchema,
  workingAddressFields,
  workingContentSchema,
} from "./schemas.js";
import { toWorkingMemory } from "./to-public.js";
import type { PatchWorkingMemoryInput, WorkingMemory } from "./types.js";
import { validateContent } from "./validate-content.js";
import { missingThread, staleVersion, toWorkingMemoryKey } from "./working-memory-key.js";

const patchSchema = z.strictObject({
  ...workingAddressFields,
  patch: metadataSchema,
  version: versionSchema,
  schema: z.unknown().optional(),
});

/** How often a patch without `version` re-reads and retries after losing a race. */
const ATTEMPTS = 50;

/**
 * Applies a JSON merge patch to an object document. The patch is merged into the version read
 * and written only if that version is still current; a patch that loses the race is merged again
 * into the newer document, so concurrent patches never lose each other's fields. With
 * `version`, a stale document is a `CONFLICT` instead.
 */
export async function patchWorkingMemory(
  context: MemoryContext,
  raw: PatchWorkingMemoryInput,
): Promise<WorkingMemory> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(patchSchema, raw, "working memory patch");
  await context.ready();
  const store = context.backend.conversations;
  const key = toWorkingMemoryKey(input);
  for (let attempt = 1; ; attempt++) {
    const current = await store.getWorkingMemory(key);
    const version = current?.version ?? 0;
    if (input.version !== undefined && input.version !== version)
      throw staleVersion(input.version, version);
    if (typeof current?.content === "string")
      throw new EngramError(
        "INVALID_ARGUMENT",
        "A text working memory cannot be patched; replace it.",
        {
          details: { issues: [{ path: ["patch"], message: "the document is text" }] },
        },
      );
    const content = mergePatch(current?.content, input.patch) as JsonObject;
    parseInput(workingContentSchema, content, "patched working memory");
    await validateContent(input.schema, content);
    const written = await store.writeWorkingMemory(key, content, version, context.now());
    if (written.status === "missing-thread") throw missingThread(input.threadId);
    if (written.status === "written") return toWorkingMemory(written.workingMemory);
    if (input.version !== undefined || attempt >= ATTEMPTS)
      throw staleVersion(input.version ?? version, written.version);
    // Lost a race: back off a little, with jitter so racing writers spread out.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
  }
}
