import type { MemoryEvent } from "@engram/core";
import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { toEventJson } from "../../tenancy/memory-json.js";
import { parseNamespacePath } from "../../tenancy/resolve-namespace.js";
import type { ApiApp } from "../api-env.js";
import { ERROR_RESPONSES } from "../schemas.js";

const KEEP_ALIVE_MS = 15_000;
// A client that stops reading is cut off rather than buffered without bound.
const MAX_QUEUED = 10_000;

const route = createRoute({
  method: "get",
  path: "/v1/events",
  summary: "Server-Sent Events of memory changes in a subtree; resume with Last-Event-ID",
  request: {
    query: z.object({
      within: z.string().max(2200).optional(),
      namespace: z.string().max(2200).optional(),
      since: z.string().max(128).optional().openapi({ description: "Same as Last-Event-ID" }),
    }),
    headers: z.object({ "last-event-id": z.string().max(128).optional() }),
  },
  responses: {
    200: {
      content: { "text/event-stream": { schema: z.string() } },
      description: "event: created|updated|deleted, id: the event id, data: the event as JSON",
    },
    ...ERROR_RESPONSES,
  },
});

/** GET /v1/events */
export function registerEventsRoute(app: ApiApp): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const since = c.req.valid("header")["last-event-id"] ?? query.since;
    const principal = c.var.principal;
    const queue: MemoryEvent[] = [];
    let wake: (() => void) | undefined;
    let overflow = false;
    // Subscribe before the stream starts, so a bad scope or cursor is a plain 400.
    const subscription = await c.var.memory.subscribe(
      {
        namespace: query.namespace === undefined ? undefined : parseNamespacePath(query.namespace),
        within: query.within === undefined ? undefined : parseNamespacePath(query.within),
      },
      (event) => {
        if (queue.length >= MAX_QUEUED) overflow = true;
        else queue.push(event);
        wake?.();
      },
      since,
    );
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      try {
        await stream.write(": connected\n\n");
        while (open && !overflow) {
          for (let event = queue.shift(); event; event = queue.shift()) {
            await stream.writeSSE({
              id: event.id,
              event: event.type,
              data: JSON.stringify(toEventJson(principal, event)),
            });
          }
          const woken = await new Promise<boolean>((resolve) => {
            if (queue.length > 0 || !open) return resolve(true);
            const timer = setTimeout(() => resolve(false), KEEP_ALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wake = undefined;
          if (!woken && open) await stream.write(": keep-alive\n\n");
        }
      } finally {
        await subscription.close();
      }
    }) as never;
  });
}
