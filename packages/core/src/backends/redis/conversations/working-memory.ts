import type { JsonObject } from "../../../record/memory-record.js";
import type {
  StoredWorkingMemory,
  WorkingMemoryKey,
  WorkingMemoryWrite,
} from "../../conversation-store.js";
import type { RedisKeys } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import { decodeWorkingMemory } from "./codec.js";
import type { RegisterConversationTenant } from "./namespaces.js";
import { runScript } from "./run-script.js";
import { WRITE_WORKING_MEMORY } from "./scripts.js";

/**
 * Working memory on Redis: a namespace's document is a hash of its own; a thread's lives in the
 * thread's hash (fields `wm`, `wmVersion`, `wmUpdatedAt`), so it goes when the thread goes.
 * A write checks and bumps the version inside one script, so two writers never both win.
 */
export function redisWorkingMemory(
  connection: () => RedisClientLike,
  keys: RedisKeys,
  register: RegisterConversationTenant,
) {
  const place = (key: WorkingMemoryKey) =>
    key.threadId === undefined
      ? {
          hash: keys.workingMemory(key.namespace),
          fields: ["content", "version", "updatedAt"],
          prefix: "",
        }
      : {
          hash: keys.thread(key.namespace, key.threadId),
          fields: ["wm", "wmVersion", "wmUpdatedAt"],
          prefix: "wm",
        };

  async function getWorkingMemory(key: WorkingMemoryKey): Promise<StoredWorkingMemory | undefined> {
    const { hash, fields } = place(key);
    return decodeWorkingMemory(await connection().sendCommand(["HMGET", hash, ...fields]));
  }

  async function writeWorkingMemory(
    key: WorkingMemoryKey,
    content: JsonObject | string,
    expected: number | undefined,
    at: number,
  ): Promise<WorkingMemoryWrite> {
    const { hash, prefix } = place(key);
    await register(connection(), key.namespace);
    const reply = (await runScript(
      connection(),
      WRITE_WORKING_MEMORY,
      [hash, keys.conversationNamespaces(keys.tenantOf(key.namespace))],
      [
        expected === undefined ? "" : String(expected),
        JSON.stringify(content),
        String(at),
        key.namespace,
        prefix,
      ],
    )) as [string, number?];
    if (reply[0] === "missing") return { status: "missing-thread" };
    if (reply[0] === "conflict") return { status: "conflict", version: Number(reply[1]) };
    return {
      status: "written",
      workingMemory: { content, version: Number(reply[1]), updatedAt: at },
    };
  }

  async function deleteWorkingMemory(key: WorkingMemoryKey): Promise<boolean> {
    const { hash, fields, prefix } = place(key);
    const removed =
      prefix === ""
        ? await connection().sendCommand(["DEL", hash])
        : await connection().sendCommand(["HDEL", hash, ...fields]);
    return Number(removed) > 0;
  }

  return { getWorkingMemory, writeWorkingMemory, deleteWorkingMemory };
}
