import { z } from "zod";
import type { MemoryContext } from "../memory/context.js";
import { parseInput } from "../record/schemas.js";
import { checkNamespaces, workingAddressFields } from "./schemas.js";
import type { WorkingMemoryAddress } from "./types.js";
import { toWorkingMemoryKey } from "./working-memory-key.js";

const addressSchema = z.strictObject(workingAddressFields);

/** Deletes a working-memory document; `false` if there was none. */
export async function deleteWorkingMemory(
  context: MemoryContext,
  raw: WorkingMemoryAddress,
): Promise<boolean> {
  checkNamespaces(raw, "namespace");
  const input = parseInput(addressSchema, raw, "working memory address");
  await context.ready();
  return context.backend.conversations.deleteWorkingMemory(toWorkingMemoryKey(input));
}
