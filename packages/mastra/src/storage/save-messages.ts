import { EngramError } from "@engram/core";
import type { MastraDBMessage } from "@mastra/core/memory";
import { fromMastraMessage } from "./messages.js";
import { locate, notFound, type StorageContext } from "./storage-context.js";

/**
 * Mastra's `saveMessages`: an upsert. A message saved again in its thread is updated; one saved
 * under another thread moves there; new ones are appended to their thread.
 */
export async function saveMessages(
  context: StorageContext,
  messages: MastraDBMessage[],
): Promise<void> {
  const byThread = new Map<string, MastraDBMessage[]>();
  for (const message of messages) {
    if (!message.threadId)
      throw new EngramError("INVALID_ARGUMENT", `Message ${message.id} has no threadId.`);
    byThread.set(message.threadId, [...(byThread.get(message.threadId) ?? []), message]);
  }
  for (const [threadId, group] of byThread) {
    const located = await locate(context, threadId);
    if (!located) throw notFound(`Thread ${threadId}`);
    const address = { namespace: located.thread.namespace, threadId };
    const existing = await context.memory.messages.get({
      within: context.root,
      ids: group.map((message) => message.id),
    });
    const fresh = [];
    for (const [index, message] of group.entries()) {
      const input = fromMastraMessage({
        ...message,
        resourceId: message.resourceId ?? located.resourceId,
      });
      const before = existing[index];
      if (
        before &&
        before.threadId === threadId &&
        before.namespace.join("/") === address.namespace.join("/")
      ) {
        await context.memory.messages.update({
          ...address,
          id: message.id,
          role: input.role,
          content: input.content,
          metadata: input.metadata ?? {},
        });
        continue;
      }
      // Saved again under another thread: Mastra moves it.
      if (before)
        await context.memory.messages.delete({
          namespace: before.namespace,
          threadId: before.threadId,
          ids: [before.id],
        });
      fresh.push(input);
    }
    if (fresh.length > 0)
      await context.memory.messages.append({ ...address, messages: fresh, createThread: false });
  }
}
