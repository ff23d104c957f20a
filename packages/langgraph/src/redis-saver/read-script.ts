import { createHash } from "node:crypto";
import { AS_BUFFERS, type RedisClientLike } from "./redis-client.js";

// One round trip for a whole tuple: find the latest id when none is given (O(log n) on the
// index ZSET), read the checkpoint hash, the channel blobs it references and its writes, and
// refresh the TTL of what was read. Every key shares the thread's hash tag.
const READ_TUPLE = `
local id = ARGV[3]
if id == "" then
  local latest = redis.call("ZRANGE", KEYS[1], -1, -1)
  if #latest == 0 then return false end
  id = latest[1]
end
local checkpointKey = ARGV[1] .. id
local fields = redis.call("HMGET", checkpointKey, "checkpoint", "checkpoint_type", "metadata", "metadata_type", "parent", "channels")
if not fields[1] then return false end
local blobFields = {}
local blobValues = {}
if fields[6] and fields[6] ~= "" then
  for field in string.gmatch(fields[6], "[^,]+") do table.insert(blobFields, field) end
  blobValues = redis.call("HMGET", KEYS[2], unpack(blobFields))
end
local writesKey = ARGV[2] .. id
local writes = redis.call("HGETALL", writesKey)
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  for _, key in ipairs(KEYS) do redis.call("PEXPIRE", key, ttl) end
  redis.call("PEXPIRE", checkpointKey, ttl)
  redis.call("PEXPIRE", writesKey, ttl)
end
return {id, fields, blobFields, blobValues, writes}
`;

const READ_TUPLE_SHA = createHash("sha1").update(READ_TUPLE).digest("hex");

/** What the read script returns for one checkpoint; `undefined` when there is none. */
export interface RawTuple {
  id: string;
  checkpoint: Buffer;
  checkpointType: string;
  metadata: Buffer;
  metadataType: string;
  parent: string | undefined;
  blobFields: string[];
  blobValues: (Buffer | null)[];
  /** Flat field/value pairs of the writes hash. */
  writes: Buffer[];
}

export interface ReadTupleKeys {
  index: string;
  blobs: string;
  checkpointNamespaces: string;
  owners: string;
  checkpointPrefix: string;
  writesPrefix: string;
}

/** Reads one checkpoint (the latest when `checkpointId` is empty) in a single round trip. */
export async function readRawTuple(
  client: RedisClientLike,
  keys: ReadTupleKeys,
  checkpointId: string,
  refreshTtlMs: number,
): Promise<RawTuple | undefined> {
  const keyArgs = [keys.index, keys.blobs, keys.checkpointNamespaces, keys.owners];
  const args = [keys.checkpointPrefix, keys.writesPrefix, checkpointId, String(refreshTtlMs)];
  let reply: unknown;
  try {
    reply = await client.sendCommand(
      ["EVALSHA", READ_TUPLE_SHA, String(keyArgs.length), ...keyArgs, ...args],
      AS_BUFFERS,
    );
  } catch (error) {
    if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
    reply = await client.sendCommand(
      ["EVAL", READ_TUPLE, String(keyArgs.length), ...keyArgs, ...args],
      AS_BUFFERS,
    );
  }
  if (!Array.isArray(reply)) return undefined;
  const [id, fields, blobFields, blobValues, writes] = reply as [
    Buffer,
    (Buffer | null)[],
    Buffer[],
    (Buffer | null)[],
    Buffer[],
  ];
  return {
    id: id.toString("utf8"),
    checkpoint: fields[0] as Buffer,
    checkpointType: (fields[1] as Buffer).toString("utf8"),
    metadata: fields[2] as Buffer,
    metadataType: (fields[3] as Buffer).toString("utf8"),
    parent: fields[4] ? fields[4].toString("utf8") : undefined,
    blobFields: blobFields.map((field) => field.toString("utf8")),
    blobValues,
    writes,
  };
}
