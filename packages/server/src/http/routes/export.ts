import { createRoute, z } from "@hono/zod-openapi";
import { stream } from "hono/streaming";
import { parseNamespacePath } from "../../tenancy/resolve-namespace.js";
import { exportMemories } from "../../transfer/export-memories.js";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES } from "../schemas.js";

const route = createRoute({
  method: "get",
  path: "/v1/export",
  summary: "Every memory in a subtree as JSON Lines, newest first",
  request: {
    query: z.object({
      within: z.string().max(2200).optional().openapi({ description: "A subtree as a path" }),
      vectors: z.enum(["true", "false"]).optional().openapi({
        description:
          "`true`: each line carries its stored vector (model and float32 base64), so that an import on the same model embeds nothing",
      }),
    }),
  },
  responses: {
    200: {
      content: { "application/x-ndjson": { schema: z.string() } },
      description: "One memory per line",
    },
    ...ERROR_RESPONSES,
  },
});

/** GET /v1/export */
export function registerExportRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const { within, vectors } = c.req.valid("query");
    const lines = exportMemories(
      c.var.memory,
      { within: within === undefined ? undefined : parseNamespacePath(within) },
      { vectors: vectors === "true" },
    );
    // Read the first page before answering, so a bad scope is a 400 rather than a broken stream.
    const first = await lines.next();
    c.header("content-type", "application/x-ndjson");
    return stream(c, async (output) => {
      if (first.done) return;
      await output.write(`${JSON.stringify(first.value)}\n`);
      for await (const line of lines) await output.write(`${JSON.stringify(line)}\n`);
    }) as never;
  });
}
