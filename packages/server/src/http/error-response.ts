import { EngramError } from "@engram/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { httpStatusFor } from "../errors/http-status.js";
import { toEngramError } from "../errors/to-engram-error.js";

/** Any thrown value as an EngramError, with HTTP framework errors given their proper codes. */
export function errorFromThrown(error: unknown): EngramError {
  if (error instanceof HTTPException) {
    if (error.status === 413) {
      return new EngramError("PAYLOAD_TOO_LARGE", "The request body is too large.");
    }
    if (error.status === 400) {
      return new EngramError("INVALID_ARGUMENT", "The request body is not valid JSON.", {
        details: { issues: [{ path: [], message: error.message }] },
      });
    }
    if (error.status === 401) return new EngramError("UNAUTHENTICATED", error.message);
    if (error.status < 500) {
      // Other client errors from the framework (415 and the like) stay client errors.
      return new EngramError("INVALID_ARGUMENT", error.message || "The request is not valid.", {
        details: { issues: [{ path: [], message: error.message }], status: error.status },
      });
    }
  }
  return toEngramError(error);
}

/** Sends an EngramError as its JSON with the matching status. */
export function errorResponse(c: Context, error: EngramError, headers?: Record<string, string>) {
  const detailStatus = error.details?.status;
  const status =
    typeof detailStatus === "number" && detailStatus >= 400 && detailStatus < 500
      ? detailStatus
      : httpStatusFor(error.code);
  if (status >= 500 && !EngramError.isInstance(error.cause)) {
    // The client sees an opaque error; the operator needs the real one.
    console.error("engram: request failed:", error.cause ?? error);
  }
  // The rest of a refused body may still be arriving: the connection cannot be reused, so say
  // so and close it, instead of promising keep-alive and dropping the socket later.
  const sent = status === 413 ? { ...headers, Connection: "close" } : headers;
  return c.json(error.toJSON(), status as 400, sent);
}
