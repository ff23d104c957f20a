import type { EngramErrorCode } from "@engram/core";

const STATUS: Record<EngramErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  INVALID_NAMESPACE: 400,
  CONTENT_TOO_LARGE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DIMENSION_MISMATCH: 409,
  EMBEDDER_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  BACKEND_ERROR: 500,
  EMBEDDER_FAILED: 502,
  EMBEDDER_UNAVAILABLE: 503,
  BACKEND_UNAVAILABLE: 503,
  CLOSED: 503,
  TIMEOUT: 504,
};

/** The HTTP status for an error code; unknown codes are a 500. */
export function httpStatusFor(code: string): number {
  return STATUS[code as EngramErrorCode] ?? 500;
}
