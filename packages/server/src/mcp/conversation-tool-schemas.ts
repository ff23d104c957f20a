import { z } from "zod";
import { toolNamespace } from "./tool-schemas.js";

/** A thread or message id. */
export const toolConversationId = z.string().min(1).max(256);

/** Where a thread lives: its namespace beneath your root and its id. */
export const toolThreadAddress = {
  namespace: toolNamespace,
  threadId: toolConversationId.describe("The thread's id"),
};

export const toolRole = z
  .enum(["user", "assistant", "system", "tool"])
  .describe("Who wrote the message");

export const toolMessageContent = z
  .union([
    z.string(),
    z
      .array(
        z
          .object({
            type: z.string().describe('The part\'s type, e.g. "text" (with a "text" field)'),
          })
          .passthrough(),
      )
      .max(1000),
  ])
  .describe('Text, or parts such as { "type": "text", "text": "…" }');

export const toolJsonObject = z.record(z.string(), z.unknown()).describe("Any JSON object");
