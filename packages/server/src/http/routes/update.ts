import type { JsonObject } from "@engram/core";
import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import {
  ERROR_RESPONSES,
  IdParamSchema,
  jsonBody,
  jsonResponse,
  MemorySchema,
  UpdateBodySchema,
} from "../schemas.js";

const route = createRoute({
  method: "patch",
  path: "/v1/memories/{id}",
  summary: "Change fields of a memory; null clears key or expiresAt",
  request: { params: IdParamSchema, body: jsonBody(UpdateBodySchema) },
  responses: { 200: jsonResponse(MemorySchema, "The updated memory"), ...ERROR_RESPONSES },
});

/** PATCH /v1/memories/{id} */
export function registerUpdateRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const patch = c.req.valid("json");
    const updated = await c.var.memory.update(c.req.valid("param").id, {
      ...patch,
      metadata: patch.metadata as JsonObject | undefined,
    });
    return c.json(updated, 200);
  });
}
