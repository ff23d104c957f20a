import {
  type AttachedStore,
  EngramError,
  encodeNamespace,
  isClusterClient,
  keyRoutedClient,
  type Namespace,
  validateNamespace,
} from "@engram/core";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  maxChannelVersion,
  type PendingWrite,
  TASKS,
} from "@langchain/langgraph-checkpoint";
import { frame, unframe } from "./frame.js";
import {
  blobField,
  channelOfBlobField,
  descendantRange,
  type SaverKeys,
  saverKeys,
} from "./keys.js";
import { parseOptions, type RedisSaverOptions, type ResolvedOptions } from "./options.js";
import { type RawTuple, readRawTuple } from "./read-script.js";
import { AS_BUFFERS, type RedisClientLike, transaction } from "./redis-client.js";
import { threadDeletion } from "./thread-deletion.js";
import { decodeWrites, toPendingWrites, writeCommands } from "./writes.js";

function invalid(message: string): EngramError {
  return new EngramError("INVALID_ARGUMENT", message);
}

function metadataMatches(metadata: unknown, filter: Record<string, unknown>): boolean {
  const record = (metadata ?? {}) as Record<string, unknown>;
  return Object.entries(filter).every(
    ([key, value]) => JSON.stringify(record[key]) === JSON.stringify(value),
  );
}

/**
 * A LangGraph checkpointer on plain Redis 7 (no modules). Each thread's keys share one hash
 * tag, so it runs on Redis Cluster; `put` and `getTuple` are one round trip each.
 */
export class RedisSaver extends BaseCheckpointSaver implements AttachedStore {
  readonly name: string;
  readonly #options: ResolvedOptions;
  readonly #keys: SaverKeys;
  #client: RedisClientLike | undefined;
  #opening: Promise<RedisClientLike> | undefined;
  #closed = false;

  constructor(options: RedisSaverOptions) {
    const resolved = parseOptions(options);
    super(resolved.serde);
    this.#options = resolved;
    this.name = resolved.name;
    this.#keys = saverKeys(resolved.prefix);
    // A cluster client goes through a view that sends each command where its first key lives.
    this.#client =
      resolved.client && isClusterClient(resolved.client)
        ? keyRoutedClient(resolved.client)
        : (resolved.client as RedisClientLike | undefined);
  }

  /** The client, connecting our own on first use. */
  async #ready(): Promise<RedisClientLike> {
    if (this.#closed) throw new EngramError("CLOSED", "This RedisSaver is closed.");
    if (this.#client) return this.#client;
    this.#opening ??= (async () => {
      const { createClient } = await import("redis");
      const client = createClient({ url: this.#options.url }) as unknown as RedisClientLike;
      client.on("error", () => undefined); // reconnects are node-redis's job; calls still reject
      await client.connect();
      this.#client = client;
      return client;
    })();
    return this.#opening;
  }

  get #ttl(): number {
    return this.#options.defaultTtlMs ?? 0;
  }

  #expire(keys: readonly string[]): string[][] {
    const ttl = this.#ttl;
    return ttl > 0 ? keys.map((key) => ["PEXPIRE", key, String(ttl)]) : [];
  }

  async #tupleFromRaw(
    threadId: string,
    checkpointNs: string,
    raw: RawTuple,
  ): Promise<CheckpointTuple> {
    const stored = (await this.serde.loadsTyped(raw.checkpointType, raw.checkpoint)) as Omit<
      Checkpoint,
      "channel_values"
    >;
    const channelValues: Record<string, unknown> = {};
    await Promise.all(
      raw.blobFields.map(async (field, position) => {
        const packed = raw.blobValues[position];
        if (!packed) return;
        const [type, bytes] = unframe(packed) as [Buffer, Buffer];
        const typeName = type.toString("utf8");
        if (typeName === "empty") return;
        channelValues[channelOfBlobField(field)] = await this.serde.loadsTyped(typeName, bytes);
      }),
    );
    const checkpoint = { ...stored, channel_values: channelValues } as Checkpoint;
    if (checkpoint.v < 4 && raw.parent !== undefined) {
      await this.#migratePendingSends(checkpoint, threadId, checkpointNs, raw.parent);
    }
    const tuple: CheckpointTuple = {
      config: {
        configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: raw.id },
      },
      checkpoint,
      metadata: (await this.serde.loadsTyped(raw.metadataType, raw.metadata)) as CheckpointMetadata,
      pendingWrites: await toPendingWrites(this.serde, decodeWrites(raw.writes)),
    };
    if (raw.parent !== undefined) {
      tuple.parentConfig = {
        configurable: {
          thread_id: threadId,
          checkpoint_ns: checkpointNs,
          checkpoint_id: raw.parent,
        },
      };
    }
    return tuple;
  }

  // Checkpoints before v4 kept pending sends in the parent's TASKS writes, not in a channel.
  async #migratePendingSends(
    checkpoint: Checkpoint,
    threadId: string,
    checkpointNs: string,
    parentId: string,
  ): Promise<void> {
    const client = await this.#ready();
    const flat = (await client.sendCommand(
      ["HGETALL", this.#keys.thread(threadId).writes(checkpointNs, parentId)],
      AS_BUFFERS,
    )) as Buffer[] | Record<string, Buffer>;
    const pairs = Array.isArray(flat)
      ? flat
      : Object.entries(flat).flatMap(([field, value]) => [Buffer.from(field), value]);
    const sends = decodeWrites(pairs).filter((write) => write.channel === TASKS);
    checkpoint.channel_values[TASKS] = await Promise.all(
      sends.map((write) => this.serde.loadsTyped(write.type, write.bytes)),
    );
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] =
      versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  async #read(
    threadId: string,
    checkpointNs: string,
    checkpointId: string | undefined,
  ): Promise<CheckpointTuple | undefined> {
    const client = await this.#ready();
    const thread = this.#keys.thread(threadId);
    const raw = await readRawTuple(
      client,
      {
        index: thread.index(checkpointNs),
        blobs: thread.blobs(checkpointNs),
        checkpointNamespaces: thread.checkpointNamespaces,
        owners: thread.owners,
        checkpointPrefix: thread.checkpointPrefix(checkpointNs),
        writesPrefix: thread.writesPrefix(checkpointNs),
      },
      checkpointId ?? "",
      this.#options.refreshTtlOnRead ? this.#ttl : 0,
    );
    return raw && this.#tupleFromRaw(threadId, checkpointNs, raw);
  }

  /** The checkpoint `config` names, or the thread's latest; one round trip. */
  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = config.configurable?.thread_id;
    if (threadId === undefined || threadId === null) return undefined;
    return this.#read(
      String(threadId),
      config.configurable?.checkpoint_ns ?? "",
      config.configurable?.checkpoint_id,
    );
  }

  /** Checkpoints newest first, optionally by thread and namespace, metadata filter and `before`. */
  async *list(
    config: RunnableConfig,
    options: CheckpointListOptions = {},
  ): AsyncGenerator<CheckpointTuple> {
    const { filter, before, limit } = options;
    const client = await this.#ready();
    const threadId = config.configurable?.thread_id;
    const threads =
      threadId === undefined || threadId === null
        ? ((await client.sendCommand(["ZRANGE", this.#keys.threads, "0", "-1"])) as string[])
        : [String(threadId)];
    const beforeId: string | undefined = before?.configurable?.checkpoint_id;
    let remaining = limit ?? Number.POSITIVE_INFINITY;
    for (const thread of threads) {
      const keys = this.#keys.thread(thread);
      const requested: string | undefined = config.configurable?.checkpoint_ns;
      const namespaces =
        requested !== undefined
          ? [requested]
          : (
              (await client.sendCommand(["SMEMBERS", keys.checkpointNamespaces])) as string[]
            ).sort();
      for (const checkpointNs of namespaces) {
        const ids = (await client.sendCommand([
          "ZRANGE",
          keys.index(checkpointNs),
          beforeId === undefined ? "+" : `(${beforeId}`,
          "-",
          "BYLEX",
          "REV",
        ])) as string[];
        for (const id of ids) {
          if (remaining <= 0) return;
          const tuple = await this.#read(thread, checkpointNs, id);
          if (!tuple) continue; // expired by TTL
          if (filter && !metadataMatches(tuple.metadata, filter)) continue;
          remaining -= 1;
          yield tuple;
        }
      }
    }
  }

  /** Stores a checkpoint and the channel values that changed; one round trip. */
  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (!config.configurable) throw invalid("put needs config.configurable.");
    const rawThreadId = config.configurable.thread_id;
    if (rawThreadId === undefined || rawThreadId === null) {
      throw invalid(
        'put needs config.configurable.thread_id, e.g. { configurable: { thread_id: "1" } }.',
      );
    }
    const threadId = String(rawThreadId);
    const checkpointNs: string = config.configurable.checkpoint_ns ?? "";
    const parentId: string | undefined = config.configurable.checkpoint_id;
    const owner = this.#options.namespaceOf?.(config);
    const encodedOwner =
      owner === undefined ? undefined : encodeNamespace(validateNamespace(owner));

    const { channel_values: values, ...rest } = checkpoint;
    const [[checkpointType, checkpointBytes], [metadataType, metadataBytes], blobs] =
      await Promise.all([
        this.serde.dumpsTyped(rest),
        this.serde.dumpsTyped(metadata),
        Promise.all(
          Object.entries(newVersions).map(async ([channel, version]) => {
            const [type, bytes] =
              channel in values
                ? await this.serde.dumpsTyped(values[channel])
                : ["empty", new Uint8Array()];
            return [blobField(channel, version), frame([type, bytes])] as const;
          }),
        ),
      ]);
    const channels = Object.entries(checkpoint.channel_versions)
      .map(([channel, version]) => blobField(channel, version))
      .join(",");

    const thread = this.#keys.thread(threadId);
    const checkpointKey = thread.checkpoint(checkpointNs, checkpoint.id);
    const hash: (string | Buffer)[] = [
      "HSET",
      checkpointKey,
      "checkpoint",
      Buffer.from(checkpointBytes),
      "checkpoint_type",
      checkpointType,
      "metadata",
      Buffer.from(metadataBytes),
      "metadata_type",
      metadataType,
      "channels",
      channels,
    ];
    if (parentId !== undefined) hash.push("parent", parentId);
    const threadCommands: (string | Buffer)[][] = [
      hash,
      ["ZADD", thread.index(checkpointNs), "0", checkpoint.id],
      ["SADD", thread.checkpointNamespaces, checkpointNs],
    ];
    if (blobs.length > 0)
      threadCommands.push(["HSET", thread.blobs(checkpointNs), ...blobs.flat()]);
    if (encodedOwner !== undefined) threadCommands.push(["SADD", thread.owners, encodedOwner]);
    threadCommands.push(
      ...this.#expire([
        checkpointKey,
        thread.index(checkpointNs),
        thread.checkpointNamespaces,
        thread.blobs(checkpointNs),
        ...(encodedOwner === undefined ? [] : [thread.owners]),
      ]),
    );
    const registryCommands: string[][] = [["ZADD", this.#keys.threads, "0", threadId]];
    if (encodedOwner !== undefined) {
      registryCommands.push(
        ["SADD", this.#keys.namespaceThreads(encodedOwner), threadId],
        ["ZADD", this.#keys.namespaces, "0", encodedOwner],
      );
    }
    const client = await this.#ready();
    // Two transactions on two slots, sent in the same tick: node-redis pipelines them into
    // one round trip on a single server.
    await Promise.all([transaction(client, threadCommands), transaction(client, registryCommands)]);
    return {
      configurable: {
        thread_id: threadId,
        checkpoint_ns: checkpointNs,
        checkpoint_id: checkpoint.id,
      },
    };
  }

  /** Stores a task's writes against a checkpoint; one round trip. */
  async putWrites(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
    taskPath?: string,
  ): Promise<void> {
    const threadId = config.configurable?.thread_id;
    const checkpointId: string | undefined = config.configurable?.checkpoint_id;
    if (threadId === undefined || threadId === null)
      throw invalid("putWrites needs config.configurable.thread_id.");
    if (checkpointId === undefined)
      throw invalid("putWrites needs config.configurable.checkpoint_id.");
    const checkpointNs: string = config.configurable?.checkpoint_ns ?? "";
    const key = this.#keys.thread(String(threadId)).writes(checkpointNs, checkpointId);
    const commands = await writeCommands(this.serde, key, writes, taskId, taskPath ?? "");
    await transaction(await this.#ready(), [...commands, ...this.#expire([key])]);
  }

  /** Deletes every checkpoint, write and index entry of a thread, leaving no key behind. */
  async deleteThread(threadId: string): Promise<void> {
    await threadDeletion(await this.#ready(), this.#keys, String(threadId));
  }

  /**
   * Deletes every thread owned by `prefix` or a namespace beneath it (see `namespaceOf`);
   * returns how many threads went. Attach the saver to a memory so core's `forgetNamespace`
   * calls this.
   */
  async forgetNamespace(prefix: Namespace): Promise<number> {
    const valid = validateNamespace(prefix);
    const client = await this.#ready();
    const [from, to] = descendantRange(valid);
    const beneath = (await client.sendCommand([
      "ZRANGE",
      this.#keys.namespaces,
      from,
      to,
      "BYLEX",
    ])) as string[];
    const threads = new Set<string>();
    for (const namespace of [encodeNamespace(valid), ...beneath]) {
      const members = (await client.sendCommand([
        "SMEMBERS",
        this.#keys.namespaceThreads(namespace),
      ])) as string[];
      for (const member of members) threads.add(member);
    }
    for (const thread of threads) await threadDeletion(client, this.#keys, thread);
    return threads.size;
  }

  /** Closes the client if the saver opened it; a client you passed in stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#opening) {
      const client = await this.#opening.catch(() => undefined);
      await client?.close();
    }
  }
}
