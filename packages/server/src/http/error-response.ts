import { EngramError } from "@engram/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { httpStatusFor } from "../errors/http-status.js";
import { toEngramError } from "../errors/to-engram-error.js";

/**
 * Any thrown value as an EngramError, with HTTP framework errors given their proper codes. A
 * request its client aborted (its body cut short) is the client's doing: 499, never a 500.
 */
export function errorFromThrown(error: unknown, aborted = false): EngramError {
  if (aborted && !EngramError.isInstance(error)) {
    return new EngramError("INVALID_ARGUMENT", "The client closed the request.", {
      cause: error,
      details: { status: 499 },
    });
  }
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

// What a client is told for a server-side failure: the code is stable, the text generic. The
// error's own message can carry driver text, hosts or paths, so it goes to the server log only.
const SERVER_SIDE: Record<string, string> = {
  BACKEND_UNAVAILABLE: "The store is unavailable; retry later.",
  EMBEDDER_UNAVAILABLE: "The embedding model is unavailable; retry later.",
  EMBEDDER_FAILED: "The embedding model failed.",
  CLOSED: "The server is shutting down.",
  TIMEOUT: "The request timed out.",
};

/** Sends an EngramError as its JSON with the matching status. */
export function errorResponse(c: Context, error: EngramError, headers?: Record<string, string>) {
  const detailStatus = error.details?.status;
  const status =
    typeof detailStatus === "number" && detailStatus >= 400 && detailStatus < 500
      ? detailStatus
      : httpStatusFor(error.code);
  if (status >= 500) {
    // The client sees an opaque error; the operator needs the real one.
    console.error(
      `engram: ${c.req.method} ${c.req.path} failed: ${error.code}: ${error.message}`,
      error.cause ?? "",
    );
    const message = SERVER_SIDE[error.code] ?? "The server failed to handle this request.";
    return c.json({ name: error.name, code: error.code, message }, status as 500, headers);
  }
  // The rest of a refused body may still be arriving: the connection cannot be reused, so say
  // so and close it, instead of promising keep-alive and dropping the socket later. A 401
  // names the scheme it wants (RFC 9110).
  const sent =
    status === 413
      ? { ...headers, Connection: "close" }
      : status === 401
        ? { "WWW-Authenticate": 'Bearer realm="engram"', ...headers }
        : headers;
  return c.json(error.toJSON(), status as 400, sent);
}
