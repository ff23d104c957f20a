import { EngramError } from "../../errors/engram-error.js";
import type { EmbeddingSpace } from "../backend.js";
import { assertSameSpace } from "../embedding-space.js";
import type { RedisKeys } from "./keys.js";
import type { RedisClientLike } from "./redis-client.js";

// The meta hash's field for the tenant depth; a store without it is of depth 1 (the only one
// before the option existed).
const DEPTH_FIELD = "tenantSegments";

/** The embedding space the store is bound to, if any. */
export async function readSpace(
  client: RedisClientLike,
  keys: RedisKeys,
): Promise<EmbeddingSpace | undefined> {
  const [model, dimensions] = (await client.sendCommand([
    "HMGET",
    keys.meta,
    "model",
    "dimensions",
  ])) as (string | null)[];
  return model && dimensions ? { model, dimensions: Number(dimensions) } : undefined;
}

/** Binds an unbound store to `space` (with its tenant depth); throws if bound to another. */
export async function bindSpace(
  client: RedisClientLike,
  keys: RedisKeys,
  space: EmbeddingSpace,
): Promise<void> {
  const created = await client.sendCommand(["HSETNX", keys.meta, "model", space.model]);
  if (Number(created) === 1) {
    // A dropped store of depth > 1 is bound again here: it must remember its depth too.
    const depth = keys.tenantSegments > 1 ? [DEPTH_FIELD, String(keys.tenantSegments)] : [];
    await client.sendCommand(["HSET", keys.meta, "dimensions", String(space.dimensions), ...depth]);
  }
  const bound = await readSpace(client, keys);
  if (bound) assertSameSpace(bound, space, `Redis prefix ${keys.meta}`);
}

/**
 * Refuses (`INVALID_ARGUMENT`, nothing written) to open a store written with another
 * `tenantSegments`: its keys would be looked for under other tenants' tags. A store that
 * records none is of depth 1, unless it is empty (no embedding space, no tenant registered),
 * which takes any depth; a depth above 1 is recorded at open.
 */
export async function assertTenantSegments(
  client: RedisClientLike,
  keys: RedisKeys,
): Promise<void> {
  const wanted = keys.tenantSegments;
  const [recorded, model] = (await client.sendCommand([
    "HMGET",
    keys.meta,
    DEPTH_FIELD,
    "model",
  ])) as (string | null)[];
  let depth = recorded === null ? undefined : Number(recorded);
  if (depth === undefined && wanted !== 1) {
    const [memories, conversations] = await Promise.all([
      client.sendCommand(["SCARD", keys.tenants]),
      client.sendCommand(["SCARD", keys.conversationTenants]),
    ]);
    const empty = model === null && Number(memories) === 0 && Number(conversations) === 0;
    if (!empty) depth = 1;
    else {
      await client.sendCommand(["HSETNX", keys.meta, DEPTH_FIELD, String(wanted)]);
      // Another process may have recorded its own depth first.
      depth = Number(await client.sendCommand(["HGET", keys.meta, DEPTH_FIELD]));
    }
  }
  if (depth === undefined || depth === wanted) return;
  throw new EngramError(
    "INVALID_ARGUMENT",
    `Redis prefix "${keys.prefix}" holds a store whose tenants are ${depth} leading namespace ` +
      `segment(s) (tenantSegments: ${depth}); it was opened with tenantSegments: ${wanted}. ` +
      `Open it with tenantSegments: ${depth}, or use a new prefix.`,
    { details: { option: "tenantSegments", expected: depth, actual: wanted, prefix: keys.prefix } },
  );
}
