import { EngramError, type JsonObject, type MessageContent, type MessageInput } from "@engram/core";
import { createRoute } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../../api-env.js";
import {
  AppendMessagesBodySchema,
  DeleteMessagesBodySchema,
  MessageParamSchema,
  MessageSchema,
  MessagesSchema,
  MessageWindowSchema,
  ThreadParamSchema,
  ThreadQuerySchema,
  UpdateMessageBodySchema,
  WindowQuerySchema,
} from "../../conversation-schemas.js";
import { CountSchema, ERROR_RESPONSES, jsonBody, jsonResponse } from "../../schemas.js";

const append = createRoute({
  method: "post",
  path: "/v1/threads/{threadId}/messages",
  summary: "Append messages, all or none; an id that exists is skipped (idempotent)",
  request: {
    params: ThreadParamSchema,
    query: ThreadQuerySchema,
    body: jsonBody(AppendMessagesBodySchema),
  },
  responses: { 201: jsonResponse(MessagesSchema, "The messages, as stored"), ...ERROR_RESPONSES },
});

const window = createRoute({
  method: "get",
  path: "/v1/threads/{threadId}/messages",
  summary:
    "A window of a thread, oldest first: the last n, before or after a message, or a time range",
  request: { params: ThreadParamSchema, query: WindowQuerySchema },
  responses: { 200: jsonResponse(MessageWindowSchema, "The window"), ...ERROR_RESPONSES },
});

const get = createRoute({
  method: "get",
  path: "/v1/threads/{threadId}/messages/{messageId}",
  summary: "One message by id",
  request: { params: MessageParamSchema, query: ThreadQuerySchema },
  responses: { 200: jsonResponse(MessageSchema, "The message"), ...ERROR_RESPONSES },
});

const update = createRoute({
  method: "patch",
  path: "/v1/threads/{threadId}/messages/{messageId}",
  summary: "Change a message's content, role or metadata (replaced)",
  request: {
    params: MessageParamSchema,
    query: ThreadQuerySchema,
    body: jsonBody(UpdateMessageBodySchema),
  },
  responses: { 200: jsonResponse(MessageSchema, "The updated message"), ...ERROR_RESPONSES },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/threads/{threadId}/messages/{messageId}",
  summary: "Delete one message",
  request: { params: MessageParamSchema, query: ThreadQuerySchema },
  responses: { 200: jsonResponse(CountSchema, "It is gone"), ...ERROR_RESPONSES },
});

const removeMany = createRoute({
  method: "post",
  path: "/v1/threads/{threadId}/messages/delete",
  summary: "Delete messages by id; returns how many were deleted",
  request: {
    params: ThreadParamSchema,
    query: ThreadQuerySchema,
    body: jsonBody(DeleteMessagesBodySchema),
  },
  responses: { 200: jsonResponse(CountSchema, "How many went"), ...ERROR_RESPONSES },
});

function messageNotFound(id: string): EngramError {
  return new EngramError("NOT_FOUND", `No message ${id} in this thread.`, { details: { id } });
}

/** The messages of a thread: append, window, and one message by id. */
export function registerMessageRoutes(app: ApiApp): void {
  app.openapi(append, async (c) => {
    const body = c.req.valid("json");
    const messages = await c.var.memory.conversations.appendMessages({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId: c.req.valid("param").threadId,
      messages: body.messages as MessageInput[],
      createThread: body.createThread,
    });
    return c.json({ messages }, 201);
  });

  app.openapi(window, async (c) => {
    const { namespace, ...options } = c.req.valid("query");
    const page = await c.var.memory.conversations.listMessages({
      ...options,
      namespace: parseNamespacePath(namespace ?? ""),
      threadId: c.req.valid("param").threadId,
    });
    return c.json(page, 200);
  });

  app.openapi(get, async (c) => {
    const { threadId, messageId } = c.req.valid("param");
    const [message] = await c.var.memory.conversations.getMessages({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId,
      ids: [messageId],
    });
    if (!message) throw messageNotFound(messageId);
    return c.json(message, 200);
  });

  app.openapi(update, async (c) => {
    const body = c.req.valid("json");
    const { threadId, messageId } = c.req.valid("param");
    const message = await c.var.memory.conversations.updateMessage({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId,
      id: messageId,
      content: body.content as MessageContent | undefined,
      role: body.role,
      metadata: body.metadata as JsonObject | undefined,
    });
    return c.json(message, 200);
  });

  app.openapi(remove, async (c) => {
    const { threadId, messageId } = c.req.valid("param");
    const deleted = await c.var.memory.conversations.deleteMessages({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId,
      ids: [messageId],
    });
    if (deleted === 0) throw messageNotFound(messageId);
    return c.json({ deleted }, 200);
  });

  app.openapi(removeMany, async (c) => {
    const deleted = await c.var.memory.conversations.deleteMessages({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId: c.req.valid("param").threadId,
      ids: c.req.valid("json").ids,
    });
    return c.json({ deleted }, 200);
  });
}
