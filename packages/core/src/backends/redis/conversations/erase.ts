import type { ConversationErasure } from "../../conversation-store.js";
import type { RedisKeys } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import { conversationNamespacesIn } from "./namespaces.js";

/**
 * Erases every thread, message and working memory in an encoded subtree: the counts are read
 * first, then every key goes in one MULTI/EXEC (on a cluster, one per tenant: a subtree shorter
 * than a tenant spans several slots).
 */
export function redisEraseConversations(connection: () => RedisClientLike, keys: RedisKeys) {
  return async function deleteSubtree(prefix: string): Promise<ConversationErasure> {
    const client = connection();
    const namespaces = await conversationNamespacesIn(client, keys, {
      exact: [],
      prefixes: [prefix],
    });
    const erased: ConversationErasure = { threads: 0, messages: 0, workingMemories: 0 };
    const byTenant = new Map<string, string[][]>();
    for (const namespace of namespaces) {
      const tenant = keys.tenantOf(namespace);
      const commands = byTenant.get(tenant) ?? [];
      byTenant.set(tenant, commands);
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
          ["ZREM", keys.threadHomes(keys.tenantOf(namespace), id), namespace],
        );
      }
      commands.push(
        [
          "DEL",
          keys.namespaceThreads(namespace),
          keys.messageHomes(namespace),
          keys.workingMemory(namespace),
        ],
        ["ZREM", keys.conversationNamespaces(keys.tenantOf(namespace)), namespace],
      );
    }
    const groups = client.routing ? [...byTenant.values()] : [[...byTenant.values()].flat()];
    for (const commands of groups) {
      if (commands.length === 0) continue;
      const multi = client.multi();
      for (const command of commands) multi.addCommand(command);
      await multi.exec();
    }
    return erased;
  };
}
