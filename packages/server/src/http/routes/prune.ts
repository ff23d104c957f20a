import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import {
  ERROR_RESPONSES,
  jsonBody,
  jsonResponse,
  PruneBodySchema,
  PruneResultSchema,
} from "../schemas.js";

const route = createRoute({
  method: "post",
  path: "/v1/prune",
  summary:
    "Apply the retention policy now: every namespace in scope over capacity loses its least-worth-keeping memories, never pinned ones (admin scope)",
  request: { body: jsonBody(PruneBodySchema) },
  responses: { 200: jsonResponse(PruneResultSchema, "What was evicted"), ...ERROR_RESPONSES },
});

/** POST /v1/prune */
export function registerPruneRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { capacity, ...scope } = c.req.valid("json");
    return c.json(await c.var.memory.prune(scope, capacity), 200);
  });
}
