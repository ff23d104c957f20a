import { createRoute, z } from "@hono/zod-openapi";
import { parseNamespacePath } from "../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES, jsonResponse } from "../schemas.js";

/** Pages read per request at most; beyond it the answer says `truncated`. */
const PAGE = 1000;
const MAX_SCANNED = 500_000;

const NamespacesSchema = z
  .object({
    namespaces: z.array(
      z.object({
        namespace: z.array(z.string()),
        total: z.number(),
        counts: z.record(z.string(), z.number()),
      }),
    ),
    scanned: z.number(),
    truncated: z.boolean(),
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
  responses: { 200: jsonResponse(NamespacesSchema, "Each namespace once"), ...ERROR_RESPONSES },
});

/** GET /v1/namespaces */
export function registerNamespacesRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { within } = c.req.valid("query");
    const byPath = new Map<
      string,
      { namespace: string[]; total: number; counts: Record<string, number> }
    >();
    let cursor: string | undefined;
    let scanned = 0;
    do {
      const page = await c.var.memory.list({
        within: within === undefined ? undefined : parseNamespacePath(within),
        limit: PAGE,
        cursor,
      });
      for (const memory of page.memories) {
        const path = memory.namespace.join("/");
        let entry = byPath.get(path);
        if (!entry) {
          entry = { namespace: memory.namespace, total: 0, counts: {} };
          byPath.set(path, entry);
        }
        entry.total += 1;
        entry.counts[memory.kind] = (entry.counts[memory.kind] ?? 0) + 1;
      }
      scanned += page.memories.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && scanned < MAX_SCANNED);
    const namespaces = [...byPath.values()].sort((a, b) =>
      a.namespace.join("/") < b.namespace.join("/") ? -1 : 1,
    );
    return c.json({ namespaces, scanned, truncated: cursor !== undefined }, 200);
  });
}
