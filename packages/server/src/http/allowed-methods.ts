import type { ApiApp } from "./api-env.js";

function patternFor(path: string): RegExp {
  const escaped = path
    .split("/")
    .map((segment) =>
      segment.startsWith(":")
        ? "[^/]+"
        : segment === "*"
          ? ".*"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${escaped}$`);
}

/** The methods the app's routes answer on `path` (middleware aside), for a 405's `Allow`. */
export function allowedMethods(app: ApiApp, path: string): string[] {
  const methods = app.routes
    .filter((route) => route.method !== "ALL" && patternFor(route.path).test(path))
    .map((route) => route.method.toUpperCase());
  return [...new Set(methods)].sort();
}
