import type { ConversationErasure } from "../../conversation-store.js";
import { type RedisKeys, tenantOf } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import { conversationNamespacesIn } from "./namespaces.js";

/**
 * Erases every thread, message and working memory in an encoded subtree: the counts are read
 * first, then every key goes in one MULTI/EXEC.
 */
export function redisEraseConversations(connection: () => RedisClientLike, keys: RedisKeys) {
  return async function deleteSubtree(prefix: string): Promise<ConversationErasure> {
    const client = connection();
    const namespaces = await conversationNamespacesIn(client, keys, {
      exact: [],
      prefixes: [prefix],
    });
    const erased: ConversationErasure = { threads: 0, messages: 0, workingMemories: 0 };
    const commands: string[][] = [];
    for (const namespace of namespaces) {
      const ids = (await client.sendCommand([
        "ZRANGE",
        keys.namespaceThreads(namespace),
        "0",
        "-1",
      ])) as string[];
      const [threads, ownDocument] = await Promise.all([
        Promise.all(
          ids.map(
            (id) =>
              client.sendCommand([
                "HMGET",
                keys.thread(namespace, id),
                "id",
                "messageCount",
                "wmVersion",
              ]) as Promise<(string | null)[]>,
          ),
        ),
        client.sendCommand(["EXISTS", keys.workingMemory(namespace)]),
      ]);
      if (Number(ownDocument) > 0) erased.workingMemories += 1;
      for (const [index, id] of ids.entries()) {
        const [stored, messageCount, wmVersion] = threads[index]!;
        if (stored !== null) {
          erased.threads += 1;
          erased.messages += Number(messageCount ?? 0);
          if (wmVersion !== null) erased.workingMemories += 1;
        }
        commands.push(
          [
            "DEL",
            keys.thread(namespace, id),
            keys.threadMessages(namespace, id),
            keys.threadOrder(namespace, id),
            keys.threadAppends(namespace, id),
          ],
          ["ZREM", keys.threadHomes(tenantOf(namespace), id), namespace],
        );
      }
      commands.push(
        [
          "DEL",
          keys.namespaceThreads(namespace),
          keys.messageHomes(namespace),
          keys.workingMemory(namespace),
        ],
        ["ZREM", keys.conversationNamespaces, namespace],
      );
    }
    if (commands.length > 0) {
      const multi = client.multi();
      for (const command of commands) multi.addCommand(command);
      await multi.exec();
    }
    return erased;
  };
}
