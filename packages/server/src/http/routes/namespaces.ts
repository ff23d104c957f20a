import { createRoute, z } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES, jsonResponse } from "../schemas.js";

const NamespacesSchema = z
  .object({
    namespaces: z.array(
      z.object({
        namespace: z.array(z.string()),
        total: z.number(),
        kinds: z.record(z.string(), z.number()),
      }),
    ),
  })
  .openapi("NamespaceCounts");

const route = createRoute({
  method: "get",
  path: "/v1/namespaces",
  summary: "Namespaces holding memories in a subtree, with counts per kind",
  request: {
    query: z.object({
      within: z
        .string()
        .max(2200)
        .optional()
        .openapi({ description: "A subtree as a path; empty or absent means your whole root" }),
    }),
  },
  responses: {
    200: jsonResponse(NamespacesSchema, "Each namespace once, sorted"),
    ...ERROR_RESPONSES,
  },
});

/** GET /v1/namespaces */
export function registerNamespacesRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { within } = c.req.valid("query");
    const namespaces = await c.var.memory.countNamespaces({
      within: within === undefined ? undefined : parseNamespacePath(within),
    });
    return c.json({ namespaces }, 200);
  });
}
