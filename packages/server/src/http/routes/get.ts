import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES, IdParamSchema, jsonResponse, MemorySchema } from "../schemas.js";

const route = createRoute({
  method: "get",
  path: "/v1/memories/{id}",
  summary: "One memory by id",
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(MemorySchema, "The memory"), ...ERROR_RESPONSES },
});

/** GET /v1/memories/{id} */
export function registerGetRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    return c.json(await c.var.memory.get(c.req.valid("param").id), 200);
  });
}
