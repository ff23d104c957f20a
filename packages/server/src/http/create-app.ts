import { EngramError, type Memory } from "@engram/core";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { authenticateRequest } from "../auth/authenticate.js";
import type { KeyStore } from "../auth/key-store.js";
import { registerMcpRoute } from "../mcp/mcp-route.js";
import { confineMemory } from "../tenancy/confine-memory.js";
import { localPrincipal } from "../tenancy/principal.js";
import { registerUiRoutes } from "../ui/ui-route.js";
import { allowedMethods } from "./allowed-methods.js";
import type { ApiApp, ApiEnv } from "./api-env.js";
import { errorFromThrown, errorResponse } from "./error-response.js";
import { createRateLimiter, type RateLimitOptions } from "./rate-limiter.js";
import { requestIssues } from "./request-issues.js";
import { requestTelemetry } from "./request-telemetry.js";
import { registerContextRoute } from "./routes/context.js";
import {
  registerIngestRoute,
  registerMessageRoutes,
  registerThreadRoutes,
  registerWorkingMemoryRoutes,
} from "./routes/conversations/index.js";
import { registerDeleteRoute } from "./routes/delete.js";
import { registerEraseRoute } from "./routes/erase.js";
import { registerEventsRoute } from "./routes/events.js";
import { registerExportRoute } from "./routes/export.js";
import { registerForgetRoute } from "./routes/forget.js";
import { registerGetRoute } from "./routes/get.js";
import { registerHealthRoute } from "./routes/health.js";
import { registerHistoryRoute } from "./routes/history.js";
import { registerIndexRoute } from "./routes/index-page.js";
import { registerListRoute } from "./routes/list.js";
import { registerNamespacesRoute } from "./routes/namespaces.js";
import { registerPruneRoute } from "./routes/prune.js";
import { registerRememberRoute } from "./routes/remember.js";
import { registerSearchRoute } from "./routes/search.js";
import { registerStatsRoute } from "./routes/stats.js";
import { registerUpdateRoute } from "./routes/update.js";

export interface AppOptions {
  memory: Memory;
  /**
   * Where API keys live. Without one, every request is an unrestricted local admin: only ever
   * serve that on loopback.
   */
  keyStore?: KeyStore | undefined;
  /**
   * With a key store: while it holds no keys, a request without a key is the local admin (a
   * key created later applies at once). For loopback only. Default false.
   */
  localWhileNoKeys?: boolean;
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Per-key token bucket; `false` turns it off. Default 50 burst, 25 per second. */
  rateLimit?: RateLimitOptions | false;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 50, perSecond: 25 };

/** The HTTP app: REST under /v1, MCP at /mcp, the inspector at /ui, /healthz and /openapi.json. */
export function createApp(options: AppOptions): ApiApp {
  const { memory, keyStore } = options;
  const limiter =
    options.rateLimit === false
      ? undefined
      : createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);

  const app: ApiApp = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = requestIssues(result.error.issues);
      const first = issues[0];
      const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
      const more = issues.length > 1 ? ` (${issues.length - 1} more in details.issues)` : "";
      return errorResponse(
        c,
        new EngramError("INVALID_ARGUMENT", `Invalid request${where}: ${first?.message}${more}.`, {
          details: { issues },
        }),
      );
    },
  });

  app.onError((error, c) => errorResponse(c, errorFromThrown(error, c.req.raw.signal.aborted)));
  app.notFound((c) => {
    const allow = allowedMethods(app, c.req.path);
    if (allow.length === 0) {
      return errorResponse(
        c,
        new EngramError("NOT_FOUND", "No such route; GET / points to the API and /openapi.json."),
      );
    }
    return errorResponse(
      c,
      new EngramError(
        "INVALID_ARGUMENT",
        `${c.req.method} is not allowed on ${c.req.path}; use ${allow.join(" or ")}.`,
        { details: { status: 405, allow } },
      ),
      { Allow: allow.join(", ") },
    );
  });

  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  app.use("*", requestTelemetry());
  app.use(
    "*",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        errorResponse(
          c,
          new EngramError(
            "PAYLOAD_TOO_LARGE",
            `The request body is over the limit of ${maxBodyBytes} bytes.`,
            { details: { limitBytes: maxBodyBytes } },
          ),
        ),
    }),
  );

  const guard: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const principal = keyStore
      ? await authenticateRequest(
          keyStore,
          c.req.header("authorization"),
          options.localWhileNoKeys ?? false,
        )
      : localPrincipal();
    if (limiter) {
      const wait = limiter.take(principal.keyId);
      if (wait > 0) {
        return errorResponse(
          c,
          new EngramError("RATE_LIMITED", `Too many requests; retry in ${wait}s.`, {
            details: { retryAfterSeconds: wait },
          }),
          { "Retry-After": String(wait) },
        );
      }
    }
    c.set("principal", principal);
    c.set("memory", confineMemory(memory, principal));
    await next();
  };
  app.use("/v1/*", guard);
  app.use("/mcp", guard);

  registerUiRoutes(app);
  registerIndexRoute(app);
  registerHealthRoute(app, memory.backend);
  registerRememberRoute(app);
  registerListRoute(app);
  registerNamespacesRoute(app);
  registerSearchRoute(app);
  registerGetRoute(app);
  registerHistoryRoute(app);
  registerContextRoute(app);
  registerUpdateRoute(app);
  registerDeleteRoute(app);
  registerForgetRoute(app);
  registerEraseRoute(app);
  registerPruneRoute(app);
  registerEventsRoute(app);
  registerExportRoute(app);
  registerThreadRoutes(app);
  registerMessageRoutes(app);
  registerWorkingMemoryRoutes(app);
  registerIngestRoute(app);
  registerStatsRoute(app, memory);
  registerMcpRoute(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An Engram API key (engram keys create)",
  });
  app.doc("/openapi.json", {
    openapi: "3.0.0",
    info: {
      title: "Engram",
      version: "1",
      description:
        "Persistent memory for AI agents. Every namespace is relative to your API key's root.",
    },
    security: [{ apiKey: [] }],
  });
  return app;
}
