import { EngramError } from "@engram/core";

/**
 * Any thrown value as an EngramError safe to show a client: Engram's own errors as they are,
 * anything else as an opaque `BACKEND_ERROR` (its message may hold internals).
 */
export function toEngramError(error: unknown): EngramError {
  if (EngramError.isInstance(error)) return error;
  return new EngramError("BACKEND_ERROR", "The server failed to handle this request.", {
    cause: error,
  });
}
