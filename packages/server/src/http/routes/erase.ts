import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import {
  ERROR_RESPONSES,
  EraseBodySchema,
  EraseResultSchema,
  jsonBody,
  jsonResponse,
} from "../schemas.js";

const route = createRoute({
  method: "post",
  path: "/v1/erase",
  summary: "Erase a namespace and everything beneath it (admin scope)",
  request: { body: jsonBody(EraseBodySchema) },
  responses: { 200: jsonResponse(EraseResultSchema, "How many memories went"), ...ERROR_RESPONSES },
});

/** POST /v1/erase */
export function registerEraseRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    return c.json(await c.var.memory.erase(c.req.valid("json").namespace), 200);
  });
}
