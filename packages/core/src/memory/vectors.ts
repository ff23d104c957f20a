import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import { idSchema, parseInput } from "../record/schemas.js";
import type { MemoryContext } from "./context.js";

/** A memory's stored vector (unit length) and the model that made it. */
export interface MemoryVector {
  model: string;
  vector: Float32Array;
}

/**
 * The stored vectors of memories by id, in order; `undefined` for an id that is unknown or
 * expired. What an export carries so an import into a store on the same model embeds nothing.
 */
export async function vectors(
  context: MemoryContext,
  ids: readonly string[],
): Promise<(MemoryVector | undefined)[]> {
  const valid = parseInput(z.array(idSchema), ids, "ids");
  if (valid.length > context.limits.batchSize) {
    throw new EngramError(
      "INVALID_ARGUMENT",
      `vectors takes at most ${context.limits.batchSize} ids per call.`,
      { details: { limit: context.limits.batchSize } },
    );
  }
  await context.ready();
  const now = context.now();
  // By id, never by content: another memory with the same content (in this tenant or another)
  // coming or going changes nothing here.
  const [records, stored] = await Promise.all([
    context.backend.get(valid, now),
    context.backend.getVectors(valid, now),
  ]);
  return records.map((record, at) => {
    const vector = stored[at];
    return record && vector ? { model: record.embedding.model, vector } : undefined;
  });
}
