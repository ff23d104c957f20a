import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import { ContextBodySchema, ContextResultSchema } from "../conversation-schemas.js";
import { ERROR_RESPONSES, jsonBody, jsonResponse } from "../schemas.js";

const route = createRoute({
  method: "post",
  path: "/v1/context",
  summary:
    "A prompt-ready block within a token budget: memories, and a thread and working memory if asked",
  request: { body: jsonBody(ContextBodySchema) },
  responses: { 200: jsonResponse(ContextResultSchema, "The block"), ...ERROR_RESPONSES },
});

/** POST /v1/context */
export function registerContextRoute(app: ApiApp): void {
  app.openapi(route, async (c) => c.json(await c.var.memory.context(c.req.valid("json")), 200));
}
