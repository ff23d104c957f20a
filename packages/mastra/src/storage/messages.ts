import type { JsonObject, Message, MessageInput, MessagePart } from "@engram/core";
import type { MastraDBMessage } from "@mastra/core/memory";

/** JSON as stored: Dates become ISO strings, undefined fields go. */
export function toJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

const ROLES = new Set(["user", "assistant", "system"]);

/**
 * A Mastra message as an Engram message: its parts become the content (so `messageText` and
 * Engram's context and ingest read it), and what else Mastra keeps rides in `metadata.mastra`.
 */
export function fromMastraMessage(message: MastraDBMessage): MessageInput {
  const { parts, ...rest } = (message.content ?? {}) as MastraDBMessage["content"];
  const content: MessagePart[] = toJson((parts ?? []) as unknown as MessagePart[]);
  const mastra = toJson({
    content: rest,
    ...(message.type === undefined ? {} : { type: message.type }),
    ...(ROLES.has(message.role) ? {} : { role: message.role }),
    ...(message.resourceId === undefined ? {} : { resourceId: message.resourceId }),
  }) as unknown as JsonObject;
  return {
    id: message.id,
    role: ROLES.has(message.role) ? (message.role as MessageInput["role"]) : "system",
    content,
    metadata: { mastra },
    createdAt: message.createdAt ?? new Date(),
  };
}

/** An Engram message back as Mastra stored it. */
export function toMastraMessage(message: Message): MastraDBMessage {
  const mastra = (message.metadata.mastra ?? {}) as {
    content?: Record<string, unknown>;
    type?: string;
    role?: string;
    resourceId?: string;
  };
  const parts =
    typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : (message.content as unknown[]);
  return {
    id: message.id,
    threadId: message.threadId,
    ...(mastra.resourceId === undefined ? {} : { resourceId: mastra.resourceId }),
    role: (mastra.role ?? message.role) as MastraDBMessage["role"],
    createdAt: message.createdAt,
    ...(mastra.type === undefined ? {} : { type: mastra.type }),
    content: { format: 2, ...mastra.content, parts } as MastraDBMessage["content"],
  };
}
