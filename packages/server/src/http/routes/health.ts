import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import { jsonResponse } from "../schemas.js";

const route = createRoute({
  method: "get",
  path: "/healthz",
  summary: "Liveness: no key needed",
  responses: {
    200: jsonResponse(z.object({ status: z.literal("ok"), backend: z.string() }), "Alive"),
  },
});

/** GET /healthz */
export function registerHealthRoute(app: ApiApp, backend: string): void {
  app.openapi(route, (c) => c.json({ status: "ok" as const, backend }, 200));
}
