import type { Candidate } from "@engram/core";
import { createRoute } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../../api-env.js";
import {
  IngestBodySchema,
  IngestReportSchema,
  ThreadParamSchema,
  ThreadQuerySchema,
} from "../../conversation-schemas.js";
import { ERROR_RESPONSES, jsonBody, jsonResponse } from "../../schemas.js";

const route = createRoute({
  method: "post",
  path: "/v1/threads/{threadId}/ingest",
  summary:
    "Turn the thread's new messages into memories: your candidates, or each user message as an episode",
  request: {
    params: ThreadParamSchema,
    query: ThreadQuerySchema,
    body: jsonBody(IngestBodySchema),
  },
  responses: { 200: jsonResponse(IngestReportSchema, "What was decided"), ...ERROR_RESPONSES },
});

/** POST /v1/threads/{threadId}/ingest */
export function registerIngestRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const report = await c.var.memory.conversations.ingest({
      namespace: parseNamespacePath(c.req.valid("query").namespace ?? ""),
      threadId: c.req.valid("param").threadId,
      into: body.into,
      similar: body.similar,
      candidates: body.candidates as Candidate[] | undefined,
    });
    return c.json(report, 200);
  });
}
