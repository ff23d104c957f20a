import { createRoute } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES, jsonResponse, ListQuerySchema, PageSchema } from "../schemas.js";

const route = createRoute({
  method: "get",
  path: "/v1/memories",
  summary: "List memories in a namespace or subtree, newest first",
  request: { query: ListQuerySchema },
  responses: { 200: jsonResponse(PageSchema, "One page"), ...ERROR_RESPONSES },
});

/** GET /v1/memories */
export function registerListRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const page = await c.var.memory.list({
      namespace: query.namespace === undefined ? undefined : parseNamespacePath(query.namespace),
      within: query.within === undefined ? undefined : parseNamespacePath(query.within),
      limit: query.limit,
      cursor: query.cursor,
      kinds: query.kinds,
      tags: query.tags,
      pinned: query.pinned === undefined ? undefined : query.pinned === "true",
      createdAfter: query.createdAfter,
      createdBefore: query.createdBefore,
      updatedAfter: query.updatedAfter,
      updatedBefore: query.updatedBefore,
    });
    return c.json(page, 200);
  });
}
