import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import { tenantOfNamespace } from "../namespace/namespace.js";
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
  const records = await context.backend.get(valid, context.now());
  // Vectors are kept per tenant, model and content hash: one lookup per tenant and model.
  const groups = new Map<string, { tenant: string; model: string; hashes: Set<string> }>();
  for (const record of records) {
    if (!record) continue;
    const tenant = tenantOfNamespace(record.namespace);
    const key = `${tenant}\u0000${record.embedding.model}`;
    const group = groups.get(key) ?? { tenant, model: record.embedding.model, hashes: new Set() };
    group.hashes.add(record.contentHash);
    groups.set(key, group);
  }
  const found = new Map<string, Map<string, Float32Array>>();
  for (const [key, group] of groups) {
    found.set(key, await context.backend.findVectors(group.model, [...group.hashes], group.tenant));
  }
  return records.map((record) => {
    if (!record) return undefined;
    const key = `${tenantOfNamespace(record.namespace)}\u0000${record.embedding.model}`;
    const vector = found.get(key)?.get(record.contentHash);
    return vector ? { model: record.embedding.model, vector } : undefined;
  });
}
