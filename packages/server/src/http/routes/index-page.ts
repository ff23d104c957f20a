import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import { jsonResponse } from "../schemas.js";

const IndexSchema = z.object({
  name: z.literal("engram"),
  docs: z.string(),
  openapi: z.string(),
  rest: z.string(),
  mcp: z.string(),
  health: z.string(),
});

const route = createRoute({
  method: "get",
  path: "/",
  summary: "Where the API and its documentation are: no key needed",
  responses: { 200: jsonResponse(IndexSchema, "Pointers to the API") },
});

/** GET / */
export function registerIndexRoute(app: ApiApp): void {
  app.openapi(route, (c) =>
    c.json(
      {
        name: "engram" as const,
        docs: "https://www.npmjs.com/package/@engram/server",
        openapi: "/openapi.json",
        rest: "/v1",
        mcp: "/mcp",
        health: "/healthz",
      },
      200,
    ),
  );
}
