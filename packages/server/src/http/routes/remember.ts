import type { JsonObject } from "@engram/core";
import { createRoute } from "@hono/zod-openapi";
import type { ApiApp } from "../api-env.js";
import {
  ERROR_RESPONSES,
  jsonBody,
  jsonResponse,
  RememberBodySchema,
  RememberResponseSchema,
} from "../schemas.js";

const route = createRoute({
  method: "post",
  path: "/v1/memories",
  summary: "Remember one memory, or a batch (all or none)",
  request: { body: jsonBody(RememberBodySchema) },
  responses: {
    201: jsonResponse(RememberResponseSchema, "What was stored; a batch answers { results }"),
    ...ERROR_RESPONSES,
  },
});

/** POST /v1/memories */
export function registerRememberRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const batch = "memories" in body;
    const inputs = (batch ? body.memories : [body]).map((input) => ({
      ...input,
      metadata: input.metadata as JsonObject | undefined,
    }));
    const results = await c.var.memory.remember(inputs);
    return c.json(batch ? { results } : results[0]!, 201);
  });
}
