import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES, HistorySchema, IdParamSchema, jsonResponse } from "../schemas.js";

const route = createRoute({
  method: "get",
  path: "/v1/memories/{id}/history",
  summary: "Every recorded change of a memory, oldest first, even after it was deleted",
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(HistorySchema, "The changes"), ...ERROR_RESPONSES },
});

/** GET /v1/memories/{id}/history */
export function registerHistoryRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    return c.json({ entries: await c.var.memory.history(c.req.valid("param").id) }, 200);
  });
}
