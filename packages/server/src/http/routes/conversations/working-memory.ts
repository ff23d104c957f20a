import type { JsonObject } from "@engram/core";
import { createRoute } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../../api-env.js";
import {
  DeletedFlagSchema,
  PatchWorkingMemoryBodySchema,
  ReplaceWorkingMemoryBodySchema,
  WorkingMemoryQuerySchema,
  WorkingMemorySchema,
} from "../../conversation-schemas.js";
import { ERROR_RESPONSES, jsonBody, jsonResponse } from "../../schemas.js";

const get = createRoute({
  method: "get",
  path: "/v1/working-memory",
  summary: "The working memory of a namespace, or of a thread",
  request: { query: WorkingMemoryQuerySchema },
  responses: { 200: jsonResponse(WorkingMemorySchema, "The document"), ...ERROR_RESPONSES },
});

const replace = createRoute({
  method: "put",
  path: "/v1/working-memory",
  summary: "Replace the working memory; with version, only if it is still that version (409)",
  request: { body: jsonBody(ReplaceWorkingMemoryBodySchema) },
  responses: { 200: jsonResponse(WorkingMemorySchema, "The new document"), ...ERROR_RESPONSES },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/working-memory",
  summary: "Apply a JSON merge patch to the working memory atomically",
  request: { body: jsonBody(PatchWorkingMemoryBodySchema) },
  responses: { 200: jsonResponse(WorkingMemorySchema, "The new document"), ...ERROR_RESPONSES },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/working-memory",
  summary: "Delete the working memory of a namespace, or of a thread",
  request: { query: WorkingMemoryQuerySchema },
  responses: { 200: jsonResponse(DeletedFlagSchema, "It is gone"), ...ERROR_RESPONSES },
});

/** GET/PUT/PATCH/DELETE /v1/working-memory */
export function registerWorkingMemoryRoutes(app: ApiApp): void {
  app.openapi(get, async (c) => {
    const query = c.req.valid("query");
    const document = await c.var.memory.conversations.getWorkingMemory({
      namespace: parseNamespacePath(query.namespace ?? ""),
      threadId: query.threadId,
    });
    return c.json(document, 200);
  });

  app.openapi(replace, async (c) => {
    const body = c.req.valid("json");
    const document = await c.var.memory.conversations.replaceWorkingMemory({
      ...body,
      content: body.content as JsonObject | string,
    });
    return c.json(document, 200);
  });

  app.openapi(patch, async (c) => {
    const body = c.req.valid("json");
    const document = await c.var.memory.conversations.patchWorkingMemory({
      ...body,
      patch: body.patch as JsonObject,
    });
    return c.json(document, 200);
  });

  app.openapi(remove, async (c) => {
    const query = c.req.valid("query");
    await c.var.memory.conversations.deleteWorkingMemory({
      namespace: parseNamespacePath(query.namespace ?? ""),
      threadId: query.threadId,
    });
    return c.json({ deleted: true as const }, 200);
  });
}
