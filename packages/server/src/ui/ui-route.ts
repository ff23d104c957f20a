import { readFile } from "node:fs/promises";
import type { Context } from "hono";
import type { ApiApp } from "../http/api-env.js";

// Built by ui/build.mjs; the same relative path works from src/ui (tests) and dist/ui.
const ASSETS = new URL("../../dist/ui-assets/", import.meta.url);

const FILES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
};

// Everything the page loads comes from this server; nothing inline, nothing from a CDN.
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-cache",
};

const LANDING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Engram</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<h1>Engram</h1>
<ul>
<li><a href="/ui">The memory inspector</a>: what agents remember, and why they recall it</li>
<li><a href="/openapi.json">The REST API</a> (OpenAPI 3)</li>
<li><a href="/healthz">Health</a></li>
</ul>
</body></html>`;

const cache = new Map<string, Promise<Buffer>>();

async function serveAsset(c: Context, name: string) {
  let body = cache.get(name);
  if (!body) {
    body = readFile(new URL(name, ASSETS));
    cache.set(name, body);
    body.catch(() => cache.delete(name));
  }
  try {
    return c.body(new Uint8Array(await body), 200, {
      ...SECURITY_HEADERS,
      "Content-Type": FILES[name]!,
    });
  } catch {
    return c.text("The inspector is not built: run `pnpm build` in packages/server.", 503);
  }
}

/** The memory inspector at /ui (the page only; its data comes from /v1 with the caller's key). */
export function registerUiRoutes(app: ApiApp): void {
  // Browsers get the landing page; API clients fall through to GET /'s JSON pointers.
  app.get("/", async (c, next) => {
    if (!c.req.header("accept")?.includes("text/html")) return next();
    return c.html(LANDING, 200, SECURITY_HEADERS);
  });
  app.get("/ui", (c) => serveAsset(c, "index.html"));
  app.get("/ui/", (c) => serveAsset(c, "index.html"));
  app.get("/ui/:file", (c) => {
    const file = c.req.param("file");
    return file in FILES && file !== "index.html" ? serveAsset(c, file) : c.text("Not found", 404);
  });
}
