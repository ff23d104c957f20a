import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import {
  ERROR_RESPONSES,
  jsonBody,
  jsonResponse,
  MemorySchema,
  SearchBodySchema,
} from "../schemas.js";

const route = createRoute({
  method: "post",
  path: "/v1/search",
  summary: "Recall the memories most relevant to a query, best first",
  request: { body: jsonBody(SearchBodySchema) },
  responses: {
    200: jsonResponse(z.object({ memories: z.array(MemorySchema) }), "Best first, with score"),
    ...ERROR_RESPONSES,
  },
});

/** POST /v1/search */
export function registerSearchRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const memories = await c.var.memory.recall(c.req.valid("json"));
    return c.json({ memories }, 200);
  });
}
