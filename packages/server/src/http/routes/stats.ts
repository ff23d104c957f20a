import type { Memory } from "@engram/core";
import { createRoute, z } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../tenancy/resolve-namespace.js";
import { requireScope } from "../../tenancy/resolve-scope.js";
import { countMemories } from "../../transfer/count-memories.js";
import { wholeStoreScope } from "../../transfer/whole-store-scope.js";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES, jsonResponse } from "../schemas.js";

const StatsSchema = z
  .object({
    backend: z.string(),
    total: z.number().int(),
    namespaces: z.array(
      z.object({ namespace: z.string(), kinds: z.record(z.string(), z.number().int()) }),
    ),
  })
  .openapi("Stats");

const route = createRoute({
  method: "get",
  path: "/v1/stats",
  summary: "How many memories your root (or a subtree) holds, by namespace and kind",
  request: {
    query: z.object({
      within: z
        .string()
        .max(2200)
        .optional()
        .openapi({ description: "A subtree as a path, e.g. users/alice; default your whole root" }),
    }),
  },
  responses: { 200: jsonResponse(StatsSchema, "Counts"), ...ERROR_RESPONSES },
});

/** GET /v1/stats */
export function registerStatsRoute(app: ApiApp, memory: Memory): void {
  app.openapi(route, async (c) => {
    const { within } = c.req.valid("query");
    const { principal } = c.var;
    requireScope(principal, "read");
    const scope =
      within !== undefined
        ? { within: parseNamespacePath(within) }
        : principal.root.length > 0
          ? { within: [] }
          : await wholeStoreScope(memory);
    const counts = await countMemories(c.var.memory, scope);
    return c.json({ backend: memory.backend, ...counts }, 200);
  });
}
