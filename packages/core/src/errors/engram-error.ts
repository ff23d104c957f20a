const marker = Symbol.for("engram.error");

/** Stable error codes. Clients may switch on them; they never change meaning. */
export type EngramErrorCode =
  | "INVALID_ARGUMENT"
  | "INVALID_NAMESPACE"
  | "CONTENT_TOO_LARGE"
  | "NOT_FOUND"
  | "DIMENSION_MISMATCH"
  | "EMBEDDER_MISMATCH"
  | "EMBEDDER_FAILED"
  | "EMBEDDER_UNAVAILABLE"
  | "BACKEND_ERROR"
  | "BACKEND_UNAVAILABLE"
  | "CONFLICT"
  | "CLOSED"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "TIMEOUT";

/** Details carried by an error: always plain JSON, safe to return to a client. */
export type EngramErrorDetails = Record<string, unknown>;

export interface EngramErrorOptions {
  cause?: unknown;
  details?: EngramErrorDetails;
}

/** The one error type Engram throws; `code` is stable, `message` is for people. */
export class EngramError extends Error {
  override readonly name: string = "EngramError";
  readonly code: EngramErrorCode;
  readonly details: EngramErrorDetails | undefined;
  readonly [marker] = true;

  constructor(code: EngramErrorCode, message: string, options: EngramErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** True for any EngramError, even one created by another copy of this package. */
  static isInstance(value: unknown): value is EngramError {
    return typeof value === "object" && value !== null && (value as never)[marker] === true;
  }

  /** The JSON shape the server returns as-is. */
  toJSON(): { name: string; code: EngramErrorCode; message: string; details?: EngramErrorDetails } {
    return this.details === undefined
      ? { name: this.name, code: this.code, message: this.message }
      : { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}
