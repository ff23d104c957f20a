import { EngramError } from "@engram/core";
import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import { CountSchema, ERROR_RESPONSES, IdParamSchema, jsonResponse } from "../schemas.js";

const route = createRoute({
  method: "delete",
  path: "/v1/memories/{id}",
  summary: "Forget one memory by id",
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(CountSchema, "It is gone"), ...ERROR_RESPONSES },
});

/** DELETE /v1/memories/{id} */
export function registerDeleteRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const deleted = await c.var.memory.forgetIds([id]);
    if (deleted === 0) {
      throw new EngramError("NOT_FOUND", `No memory with id ${id}.`, { details: { id } });
    }
    return c.json({ deleted }, 200);
  });
}
