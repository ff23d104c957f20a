import { encodeNamespace } from "../../namespace/namespace.js";
import type { MemoryRecord, StoredMemory } from "../../record/memory-record.js";
import type { MemoryEvent } from "../backend.js";
import type { RedisKeys } from "./keys.js";
import { recordToHash } from "./record-hash.js";

/**
 * The commands of one change, for a MULTI/EXEC: the record and every index it appears in,
 * and its event on the tenant's stream and the namespace's channel, so all land or none.
 * `sharded` says whether the channel message is a sharded one (SPUBLISH, on a cluster).
 * `version` is the namespace's new version token in the same transaction; the channel
 * message carries it so that caches read under it stay (undefined: the namespace is erased).
 */
export function writeCommands(
  keys: RedisKeys,
  streamLength: string,
  sharded: () => boolean = () => false,
) {
  function eventCommand(
    type: MemoryEvent["type"],
    record: { id: string; kind: string },
    namespace: string,
    at: number,
    version: string | undefined,
  ) {
    const fields = [
      "type",
      type,
      "id",
      record.id,
      "namespace",
      namespace,
      "kind",
      record.kind,
      "at",
      String(at),
    ];
    return [
      ["XADD", keys.events(keys.tenantOf(namespace)), "MAXLEN", "~", streamLength, "*", ...fields],
      [
        // On a cluster, PUBLISH goes to every node over the cluster bus; SPUBLISH (Redis 7)
        // stays on the shard that owns the channel, which carries the tenant's hash tag.
        sharded() ? "SPUBLISH" : "PUBLISH",
        keys.channel(namespace),
        JSON.stringify({ type, id: record.id, namespace, kind: record.kind, at, version }),
      ],
    ];
  }

  function deleteCommands(
    record: MemoryRecord,
    keyHolder: string | null,
    hashHolder: string | null,
    version: string,
  ): string[][] {
    const namespace = encodeNamespace(record.namespace);
    const tenant = keys.tenantOf(namespace);
    const commands = [
      ["DEL", keys.memory(tenant, record.id), keys.access(tenant, record.id)],
      ["ZREM", keys.namespaceIds(namespace), record.id],
      ...eventCommand("deleted", record, namespace, Date.now(), version),
    ];
    if (record.key !== undefined && keyHolder === record.id)
      commands.push(["HDEL", keys.namespaceKeys(namespace), record.key]);
    if (hashHolder === record.id)
      commands.push(["HDEL", keys.namespaceHashes(namespace), record.contentHash]);
    // Erased means erased: not even the content's hash stays behind.
    commands.push([
      "HDEL",
      keys.vectorsByHash(tenant),
      `${record.embedding.model}|${record.contentHash}`,
    ]);
    return commands;
  }

  function putCommands(
    memory: StoredMemory,
    namespace: string,
    created: boolean,
    version: string,
  ): (string | Buffer)[][] {
    const tenant = keys.tenantOf(namespace);
    const commands: (string | Buffer)[][] = [
      // The record carries its uses so far (read with them), so the access hash starts over.
      ["DEL", keys.memory(tenant, memory.id), keys.access(tenant, memory.id)],
      ["HSET", keys.memory(tenant, memory.id), ...recordToHash(memory)],
      ["ZADD", keys.namespaceIds(namespace), "0", memory.id],
      ["ZADD", keys.namespaces(tenant), "0", namespace],
      ["HSET", keys.namespaceHashes(namespace), memory.contentHash, memory.id],
      [
        "HSET",
        keys.vectorsByHash(tenant),
        `${memory.embedding.model}|${memory.contentHash}`,
        memory.id,
      ],
      ...eventCommand(
        created ? "created" : "updated",
        memory,
        namespace,
        memory.updatedAt.getTime(),
        version,
      ),
    ];
    if (memory.key !== undefined)
      commands.push(["HSET", keys.namespaceKeys(namespace), memory.key, memory.id]);
    if (memory.expiresAt)
      commands.push([
        "PEXPIREAT",
        keys.memory(tenant, memory.id),
        String(memory.expiresAt.getTime()),
      ]);
    return commands;
  }

  return { eventCommand, deleteCommands, putCommands };
}
