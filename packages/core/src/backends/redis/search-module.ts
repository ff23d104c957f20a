import type { RedisClientLike } from "./redis-client.js";

/** The version RediSearch must have: 2.6 brought KNN prefilters with DIALECT 2 as used here. */
export const MIN_SEARCH_VERSION = 20600;

// One module's description as a map, from any of the shapes node-redis hands back: a RESP2
// flat array, a RESP3 map decoded to a plain object, or to a Map (a caller's typeMapping).
function fieldsOf(module: unknown): Map<string, unknown> | undefined {
  if (module instanceof Map) return new Map([...module].map(([k, v]) => [String(k), v]));
  if (Array.isArray(module)) {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < module.length; i += 2) fields.set(String(module[i]), module[i + 1]);
    return fields;
  }
  if (module !== null && typeof module === "object") return new Map(Object.entries(module));
  return undefined;
}

/** True when a `MODULE LIST` reply (RESP2 or RESP3) names RediSearch 2.6 or later. */
export function hasSearchModule(modules: unknown): boolean {
  if (!Array.isArray(modules)) return false;
  return modules.some((module) => {
    const fields = fieldsOf(module);
    if (!fields) return false;
    const name = String(fields.get("name") ?? "").toLowerCase();
    const version = Number(String(fields.get("ver") ?? 0));
    return (name === "search" || name === "ft") && version >= MIN_SEARCH_VERSION;
  });
}

/** The RediSearch version in an `INFO modules` reply, when it names the module. */
function versionInInfo(info: string): number | undefined {
  for (const line of info.split(/\r?\n/)) {
    const match = /^module:name=(search|ft),ver=(\d+)/i.exec(line);
    if (match) return Number(match[2]);
  }
  return undefined;
}

/**
 * Whether the server has RediSearch 2.6 or later: the one check the backend and its tests
 * share. `MODULE LIST` first; where an ACL or a managed service refuses it, `INFO modules`.
 * Works on a client speaking RESP2 or RESP3.
 */
export async function detectSearchModule(client: RedisClientLike): Promise<boolean> {
  try {
    return hasSearchModule(await client.sendCommand(["MODULE", "LIST"]));
  } catch {
    // Refused (NOPERM, or renamed away): fall through to INFO, which most ACLs allow.
  }
  try {
    const version = versionInInfo(String(await client.sendCommand(["INFO", "modules"])));
    return version !== undefined && version >= MIN_SEARCH_VERSION;
  } catch {
    return false;
  }
}

/**
 * Whether RediSearch here has a coordinator (RSCoordinator: Redis 8's query engine on a cluster,
 * an OSS cluster loading `module-oss.so`): its `FT.CREATE` reaches every shard and its
 * `FT.SEARCH` gathers from every shard, so a cluster needs one index, not a copy per master.
 * The coordinator is the build that answers `search.CLUSTERINFO`.
 */
export async function detectSearchCoordinator(client: RedisClientLike): Promise<boolean> {
  try {
    const reply = await client.sendCommand(["COMMAND", "INFO", "search.CLUSTERINFO"]);
    return Array.isArray(reply) && reply.some((entry) => Array.isArray(entry) || isObject(entry));
  } catch {
    return false;
  }
}

const isObject = (value: unknown) => value !== null && typeof value === "object";
