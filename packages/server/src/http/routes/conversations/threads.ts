import type { JsonObject } from "@engram/core";
import { createRoute } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../../api-env.js";
import {
  CloneThreadBodySchema,
  CreateThreadBodySchema,
  DeletedFlagSchema,
  ListThreadsQuerySchema,
  ThreadPageSchema,
  ThreadParamSchema,
  ThreadQuerySchema,
  ThreadSchema,
  UpdateThreadBodySchema,
} from "../../conversation-schemas.js";
import { ERROR_RESPONSES, jsonBody, jsonResponse } from "../../schemas.js";
import { parseMetadataFilter } from "./query.js";

const create = createRoute({
  method: "post",
  path: "/v1/threads",
  summary: "Create a thread (a conversation) in a namespace",
  request: { body: jsonBody(CreateThreadBodySchema) },
  responses: { 201: jsonResponse(ThreadSchema, "The thread"), ...ERROR_RESPONSES },
});

const list = createRoute({
  method: "get",
  path: "/v1/threads",
  summary: "List threads in a namespace or subtree, newest activity first",
  request: { query: ListThreadsQuerySchema },
  responses: { 200: jsonResponse(ThreadPageSchema, "One page"), ...ERROR_RESPONSES },
});

const get = createRoute({
  method: "get",
  path: "/v1/threads/{threadId}",
  summary: "One thread by namespace and id",
  request: { params: ThreadParamSchema, query: ThreadQuerySchema },
  responses: { 200: jsonResponse(ThreadSchema, "The thread"), ...ERROR_RESPONSES },
});

const update = createRoute({
  method: "patch",
  path: "/v1/threads/{threadId}",
  summary: "Change a thread's title (null clears it) or replace its metadata",
  request: {
    params: ThreadParamSchema,
    query: ThreadQuerySchema,
    body: jsonBody(UpdateThreadBodySchema),
  },
  responses: { 200: jsonResponse(ThreadSchema, "The updated thread"), ...ERROR_RESPONSES },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/threads/{threadId}",
  summary: "Delete a thread with its messages, summary and working memory",
  request: { params: ThreadParamSchema, query: ThreadQuerySchema },
  responses: { 200: jsonResponse(DeletedFlagSchema, "It is gone"), ...ERROR_RESPONSES },
});

const clone = createRoute({
  method: "post",
  path: "/v1/threads/{threadId}/clone",
  summary: "Copy a thread and its messages (all, by id, or the newest n) to a new thread",
  request: {
    params: ThreadParamSchema,
    query: ThreadQuerySchema,
    body: jsonBody(CloneThreadBodySchema),
  },
  responses: { 201: jsonResponse(ThreadSchema, "The copy"), ...ERROR_RESPONSES },
});

/** POST/GET /v1/threads, GET/PATCH/DELETE /v1/threads/{threadId}, POST …/clone */
export function registerThreadRoutes(app: ApiApp): void {
  app.openapi(create, async (c) => {
    const body = c.req.valid("json");
    const thread = await c.var.memory.conversations.createThread({
      ...body,
      metadata: body.metadata as JsonObject | undefined,
    });
    return c.json(thread, 201);
  });

  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const page = await c.var.memory.conversations.listThreads({
      namespace: query.namespace === undefined ? undefined : parseNamespacePath(query.namespace),
      within: query.within === undefined ? undefined : parseNamespacePath(query.within),
      metadata: parseMetadataFilter(query.metadata),
      order: query.order,
      limit: query.limit,
      cursor: query.cursor,
    });
    return c.json(page, 200);
  });

  app.openapi(get, async (c) => {
    const thread = await c.var.memory.conversations.getThread({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId: c.req.valid("param").threadId,
    });
    return c.json(thread, 200);
  });

  app.openapi(update, async (c) => {
    const body = c.req.valid("json");
    const thread = await c.var.memory.conversations.updateThread({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId: c.req.valid("param").threadId,
      title: body.title,
      metadata: body.metadata as JsonObject | undefined,
    });
    return c.json(thread, 200);
  });

  app.openapi(remove, async (c) => {
    await c.var.memory.conversations.deleteThread({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId: c.req.valid("param").threadId,
    });
    return c.json({ deleted: true as const }, 200);
  });

  app.openapi(clone, async (c) => {
    const body = c.req.valid("json");
    const thread = await c.var.memory.conversations.cloneThread({
      ...body,
      to: body.to && { ...body.to, metadata: body.to.metadata as JsonObject | undefined },
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId: c.req.valid("param").threadId,
    });
    return c.json(thread, 201);
  });
}
