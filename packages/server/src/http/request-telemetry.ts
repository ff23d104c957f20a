import { randomUUID } from "node:crypto";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";

/** The header carrying each request's id, in responses and (when valid) accepted from callers. */
export const REQUEST_ID_HEADER = "X-Request-Id";

const TRACER_NAME = "@engram/server";
// A caller's own id is kept only when it is short and plain, so it is safe to log and echo.
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (echoed in `X-Request-Id`) and an OpenTelemetry server span; core's
 * spans for the request become its children. A no-op tracer unless a provider is registered.
 * The span names the route pattern, never the path, so ids and namespaces stay out of it.
 */
export function requestTelemetry(): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header(REQUEST_ID_HEADER);
    const requestId = given && ACCEPTED_ID.test(given) ? given : randomUUID();
    const tracer = trace.getTracer(TRACER_NAME);
    await tracer.startActiveSpan(
      `HTTP ${c.req.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": c.req.method, "engram.request_id": requestId },
      },
      async (span) => {
        try {
          await next();
        } finally {
          c.header(REQUEST_ID_HEADER, requestId);
          const route = routePath(c, -1);
          const status = c.res.status;
          span.updateName(`${c.req.method} ${route}`);
          span.setAttributes({ "http.route": route, "http.response.status_code": status });
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      },
    );
  };
}
