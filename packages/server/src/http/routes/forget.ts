import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import {
  CountSchema,
  ERROR_RESPONSES,
  ForgetBodySchema,
  jsonBody,
  jsonResponse,
} from "../schemas.js";

const route = createRoute({
  method: "post",
  path: "/v1/forget",
  summary: "Forget memories by ids, or by a namespace scope and filter",
  request: { body: jsonBody(ForgetBodySchema) },
  responses: { 200: jsonResponse(CountSchema, "How many were deleted"), ...ERROR_RESPONSES },
});

/** POST /v1/forget */
export function registerForgetRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { ids, ...filter } = c.req.valid("json");
    const deleted =
      ids !== undefined
        ? await c.var.memory.forgetIds(ids)
        : await c.var.memory.forgetWhere(filter);
    return c.json({ deleted }, 200);
  });
}
