import {
  type CheckpointPendingWrite,
  compareWritesSortKeys,
  type PendingWrite,
  type SerializerProtocol,
  WRITES_IDX_MAP,
  writesSortKey,
} from "@langchain/langgraph-checkpoint";
import { frame, unframe } from "./frame.js";

/**
 * The commands that store a task's writes. Special writes (errors, interrupts, resumes) have
 * fixed negative indices and replace what is there; ordinary writes never overwrite, so a
 * retried task cannot change what an earlier attempt recorded.
 */
export async function writeCommands(
  serde: SerializerProtocol,
  key: string,
  writes: readonly PendingWrite[],
  taskId: string,
  taskPath: string,
): Promise<(string | Buffer)[][]> {
  return Promise.all(
    writes.map(async ([channel, value], position) => {
      const index = WRITES_IDX_MAP[channel] ?? position;
      const [type, bytes] = await serde.dumpsTyped(value);
      const packed = frame([taskPath, channel, type, bytes]);
      return [index < 0 ? "HSET" : "HSETNX", key, `${index}:${taskId}`, packed];
    }),
  );
}

interface StoredWrite {
  taskId: string;
  index: number;
  taskPath: string;
  channel: string;
  type: string;
  bytes: Buffer;
}

/** Decodes a writes hash (flat field/value pairs) in `writesSortKey` order. */
export function decodeWrites(flat: readonly Buffer[]): StoredWrite[] {
  const stored: StoredWrite[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = (flat[i] as Buffer).toString("utf8");
    const colon = field.indexOf(":");
    const [taskPath, channel, type, bytes] = unframe(flat[i + 1] as Buffer) as [
      Buffer,
      Buffer,
      Buffer,
      Buffer,
    ];
    stored.push({
      taskId: field.slice(colon + 1),
      index: Number(field.slice(0, colon)),
      taskPath: taskPath.toString("utf8"),
      channel: channel.toString("utf8"),
      type: type.toString("utf8"),
      bytes,
    });
  }
  return stored.sort((a, b) =>
    compareWritesSortKeys(
      writesSortKey(a.taskPath, a.taskId, a.index),
      writesSortKey(b.taskPath, b.taskId, b.index),
    ),
  );
}

/** Deserializes decoded writes into LangGraph's pending-write triples. */
export function toPendingWrites(
  serde: SerializerProtocol,
  stored: readonly StoredWrite[],
): Promise<CheckpointPendingWrite[]> {
  return Promise.all(
    stored.map(
      async (write): Promise<CheckpointPendingWrite> => [
        write.taskId,
        write.channel,
        await serde.loadsTyped(write.type, write.bytes),
      ],
    ),
  );
}
