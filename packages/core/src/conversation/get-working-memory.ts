import { z } from "zod";
import type { MemoryContext } from "../memory/context.js";
import { parseInput } from "../record/schemas.js";
import { checkNamespaces, workingAddressFields } from "./schemas.js";
import { toWorkingMemory } from "./to-public.js";
import type { WorkingMemory, WorkingMemoryAddress } from "./types.js";
import { toWorkingMemoryKey } from "./working-memory-key.js";

const addressSchema = z.strictObject(workingAddressFields);

/** The working memory of a namespace (or of a thread), or `undefined` before the first write. */
export async function getWorkingMemory(
  context: MemoryContext,
  raw: WorkingMemoryAddress,
): Promise<WorkingMemory | undefined> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(addressSchema, raw, "working memory address");
  await context.ready();
  const stored = await context.backend.conversations.getWorkingMemory(toWorkingMemoryKey(input));
  return stored && toWorkingMemory(stored);
}
